/**
 * Text cut to a limit in UTF-8 bytes, as the platforms count it: GitHub refuses a check-run
 * `output.text` or `output.summary` over 65,535 bytes even though its schema says characters, and
 * `–` or `·` are three bytes each. Markdown is cut so that it still renders: whole table rows only,
 * a fenced block (a Mermaid chart) whole or not at all, and tables give up rows before anything
 * else goes, since the charts are what a reviewer looks at first.
 */

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

const charBytes = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4)

/** The longest start of `s` within `max` UTF-8 bytes, never splitting a character (nor a surrogate pair). */
export function cutBytes(s: string, max: number): string {
  if (utf8Bytes(s) <= max) return s
  let used = 0
  let end = 0
  for (const ch of s) {
    const b = charBytes(ch.codePointAt(0)!)
    if (used + b > max) break
    used += b
    end += ch.length
  }
  return s.slice(0, end)
}

/** Plain text within `max` bytes, ending with `mark` when it had to be cut. */
export function clipBytes(s: string, max: number, mark = '…'): string {
  if (utf8Bytes(s) <= max) return s
  return cutBytes(s, Math.max(0, max - utf8Bytes(mark))) + mark
}

type Block = { kind: 'lines'; lines: string[] } | { kind: 'table'; head: string[]; rows: string[]; sizes: number[]; keep: number }

const FENCE = /^\s{0,3}(`{3,}|~{3,})/
const isRow = (line: string) => line.trimStart().startsWith('|')
const isRule = (line: string) => /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(line)

function blocks(text: string): Block[] {
  const lines = text.split('\n')
  const out: Block[] = []
  const plain = (line: string) => {
    const last = out[out.length - 1]
    if (last?.kind === 'lines') last.lines.push(line)
    else out.push({ kind: 'lines', lines: [line] })
  }
  for (let i = 0; i < lines.length;) {
    const fence = FENCE.exec(lines[i])
    if (fence) {
      // A fenced block is one piece: its lines go together or not at all.
      let j = i + 1
      while (j < lines.length && !lines[j].trimStart().startsWith(fence[1])) j++
      out.push({ kind: 'lines', lines: [lines.slice(i, Math.min(j + 1, lines.length)).join('\n')] })
      i = j + 1
      continue
    }
    if (isRow(lines[i]) && i + 1 < lines.length && isRule(lines[i + 1])) {
      let j = i + 2
      while (j < lines.length && isRow(lines[j])) j++
      const rows = lines.slice(i + 2, j)
      out.push({ kind: 'table', head: [lines[i], lines[i + 1]], rows, sizes: rows.map((r) => utf8Bytes(r) + 1), keep: rows.length })
      i = j
      continue
    }
    plain(lines[i])
    i++
  }
  return out
}

/** The rows a table keeps: the first and the last (the newest windows are at the end), the middle said as left out. */
function tableLines(t: Extract<Block, { kind: 'table' }>): string[] {
  if (t.keep >= t.rows.length) return [...t.head, ...t.rows]
  const first = Math.ceil(t.keep / 2)
  const last = t.keep - first
  const left = t.rows.length - t.keep
  return [
    ...t.head,
    ...t.rows.slice(0, first),
    `| … ${left} row${left === 1 ? '' : 's'} left out here … |`,
    ...t.rows.slice(t.rows.length - last),
  ]
}

const render = (bs: Block[]) => bs.flatMap((b) => (b.kind === 'table' ? tableLines(b) : b.lines)).join('\n')

export interface Fitted {
  text: string
  /** Table rows left out. */
  rowsLeftOut: number
  /** Whether anything other than table rows had to go too (the end of the text). */
  endCut: boolean
}

/**
 * Markdown within `limit` UTF-8 bytes. When it does not fit, table rows are left out from the
 * middle of the largest table first; only when every table is down to its header does the end
 * of the text go, at a line boundary outside any fenced block. `note` is the line appended to
 * say so (where the full text is); it is counted in the limit.
 */
export function fitMarkdown(text: string, limit: number, note: (f: Omit<Fitted, 'text'>) => string): Fitted {
  if (utf8Bytes(text) <= limit) return { text, rowsLeftOut: 0, endCut: false }
  const bs = blocks(text)
  const tables = bs.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')
  const totalRows = tables.reduce((n, t) => n + t.rows.length, 0)
  // The note, at its longest (every row left out and the end cut), and the line marking each gap.
  const room = limit - utf8Bytes(note({ rowsLeftOut: totalRows, endCut: true })) - 2
  const budget = room - tables.length * 48
  let size = utf8Bytes(text)
  const keptBytes = tables.map((t) => t.sizes.reduce((a, b) => a + b, 0))
  while (size > budget) {
    let k = -1
    for (let i = 0; i < tables.length; i++) if (tables[i].keep > 0 && (k < 0 || keptBytes[i] > keptBytes[k])) k = i
    if (k < 0) break
    const t = tables[k]
    // Drop the row at the inner edge of the larger half, so the first and the last rows stay longest.
    const first = Math.ceil(t.keep / 2)
    const dropped = t.keep - first < first ? first - 1 : t.rows.length - (t.keep - first)
    size -= t.sizes[dropped]
    keptBytes[k] -= t.sizes[dropped]
    t.keep--
  }
  const rowsLeftOut = tables.reduce((n, t) => n + t.rows.length - t.keep, 0)
  let body = render(bs)
  let endCut = false
  if (utf8Bytes(body) > room) {
    endCut = true
    body = cutOutsideFences(body, room)
  }
  const out = `${body.trimEnd()}\n\n${note({ rowsLeftOut, endCut })}`
  // A limit smaller than the note itself still holds.
  return { text: cutBytes(out, limit), rowsLeftOut, endCut }
}

/** The start of `text` within `max` bytes, ended at a line boundary that is not inside a fenced block. */
function cutOutsideFences(text: string, max: number): string {
  const start = cutBytes(text, max)
  const lines = start.split('\n')
  if (lines.length > 1) lines.pop() // the last line may have been cut in the middle
  let open = -1
  let marker = ''
  lines.forEach((line, i) => {
    const f = FENCE.exec(line)
    if (!f) return
    if (open < 0) {
      open = i
      marker = f[1]
    } else if (line.trimStart().startsWith(marker)) open = -1
  })
  const whole = open >= 0 ? lines.slice(0, open) : lines
  // A table cut at its end still renders; only a block left open would swallow the note.
  return whole.length ? whole.join('\n') : cutBytes(text, max)
}
