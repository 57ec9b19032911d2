/** Markdown tables as GitHub renders them in job summaries and check runs. */

/**
 * Text as one table cell: on one line (a line break would end the row), its pipes escaped (a
 * pipe would start a cell), cut to `limit` characters with an ellipsis. With `backslashes`, a
 * backslash stays a backslash too (paths and patterns that hold them).
 */
export function cell(text: string, limit = Infinity, opts: { backslashes?: boolean; empty?: string } = {}): string {
  const escaped = opts.backslashes ? text.replace(/\\/g, '\\\\') : text
  const flat = escaped.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim()
  if (flat === '' && opts.empty !== undefined) return opts.empty
  return flat.length > limit ? flat.slice(0, limit - 1) + '…' : flat
}

/**
 * A table: the header row, its rule, then the rows, each a list of cells written as given (escape
 * text with cell) or a whole row line already written. `right` names the columns aligned right.
 */
export function table(header: string[], rows: (string[] | string)[], right: number[] = []): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  const rule = `|${header.map((_, i) => (right.includes(i) ? '---:' : '---')).join('|')}|`
  return [line(header), rule, ...rows.map((r) => (typeof r === 'string' ? r : line(r)))].join('\n')
}
