/**
 * The Go/No-Go table, after the decision template of `seeds/production-cutover-checklist.md`:
 * one row per check, the decision on top. Used for the job summary, the check-run output and
 * (as plain text) the CLI.
 */
import { cell as mdCell, table } from '../lib/markdown.js'
import { WORDS, categoryIn, translate, type Language } from './i18n.js'
import { STATUS_RANK, type GateResult } from './result.js'
import { DEFAULT_RULE, verdict, type DecisionRule, type Verdict } from './verdict.js'

export interface GateRow {
  result: GateResult
  category: string
  criteria: string
}

/** GitHub refuses a step summary over 1 MiB; we stay below with room for the truncation note. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024
/** Check-run `output.summary` and `output.text` each take at most 65,535 characters. */
export const CHECK_TEXT_LIMIT = 65_535

const CELL_LIMIT = 400
/** A decision row's measured values stay short enough that its Notes (why it is not a pass) fit on the page; every value is in the folded table. */
const MEASURED_LIMIT = 160

/** A summary cell: one line, pipes escaped, at most CELL_LIMIT characters. */
const cell = (text: string, limit = CELL_LIMIT) => mdCell(text, limit)

/** The decision over these rows, by the one rule (src/core/verdict.ts). */
export function rowsVerdict(rows: GateRow[], rule: DecisionRule = DEFAULT_RULE): Verdict {
  return verdict(
    rows.map((r) => r.result.status),
    rule,
  )
}

export interface SummaryOptions {
  language: Language
  sha?: string
  /** Where the full reports live, named in the truncation note. */
  reportDir?: string
  limit?: number
  /** Include each gate's details section (charts, tables). */
  details?: boolean
  /** The decision settings (`decide:` of cutover.yml); default: a warning is NO-GO. */
  rule?: DecisionRule
}

/**
 * A result as a person reads it in `language`: its sentences, names and details through the one
 * dictionary (src/core/i18n.ts). The JSON report keeps the gate's own words; every surface that
 * shows a result (summary, check run, terminal) shows this.
 */
export function localizeResult<R extends GateResult>(result: R, language: Language): R {
  if (language === 'en') return result
  const tr = (text: string) => translate(text, language)
  return {
    ...result,
    summary: tr(result.summary),
    checks: result.checks.map((c) => ({
      ...c,
      name: tr(c.name),
      observed: tr(c.observed),
      expected: tr(c.expected),
      message: tr(c.message),
    })),
    ...(result.details ? { details: tr(result.details) } : {}),
    ...(result.headline ? { headline: tr(result.headline) } : {}),
  }
}

/** The criterion a row stands for: as configured when the gate stated its thresholds, else its label. */
export function criteriaOf(row: Pick<GateRow, 'result' | 'criteria'>, language: Language): string {
  return row.result.criteria?.[language] ?? row.criteria
}

/**
 * What a gate measured, in one line: each check's observed value (named when there are several),
 * the ones that did not pass first. This, not a count of checks, is what a sign-off row shows.
 */
export function measuredOf(result: Pick<GateResult, 'checks' | 'summary' | 'id'>): string {
  const checks = [...result.checks].sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status])
  if (checks.length === 0) return result.summary.replace(`${result.id}: `, '')
  if (checks.length === 1) return checks[0].observed
  // Names that all start with the same `source: ` (one inventory file, one folder) say it once.
  const prefix = sharedPrefix(checks.map((c) => c.name))
  const lead = prefix ? `${prefix.slice(0, -2)}: ` : ''
  return lead + checks.map((c) => `${c.name.slice(prefix.length)}: ${c.observed}`).join(' · ')
}

/** The longest `…: ` that begins every name, or '' (when one name is nothing but it). */
function sharedPrefix(names: string[]): string {
  const first = names[0]
  let end = first.lastIndexOf(': ')
  while (end > 0) {
    const p = first.slice(0, end + 2)
    if (names.every((n) => n.startsWith(p) && n.length > p.length)) return p
    end = first.lastIndexOf(': ', end - 1)
  }
  return ''
}

/** A 64-hex digest cut to 12 (as commits are shown): unbreakable, it would widen the column past the page. */
const shortDigests = (text: string) => text.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1…')

/** The sentence that explains a row that did not pass, or nothing for a pass. */
function noteOf(result: GateResult): string {
  if (result.status === 'pass') return ''
  const off = result.checks.filter((c) => c.status !== 'pass')
  const first = off.find((c) => c.status === result.status) ?? off[0]
  return first ? first.message + (off.length > 1 ? ` (+${off.length - 1})` : '') : result.summary
}

/**
 * Markdown for the job summary, cut to `limit` bytes with a visible note when needed. The decision
 * comes first and unfolded: the header, any headline a gate gives (decide's Go/No-Go table), then
 * one row per criterion with what was measured. Every check, and each gate's details, follow
 * folded: they are for whoever wants to know why.
 */
export function renderSummary(given: GateRow[], opts: SummaryOptions): string {
  const lang = opts.language
  const w = WORDS[lang]
  const rows = given.map((r) => ({ ...r, result: localizeResult(r.result, lang) }))
  const tr = (text: string) => translate(text, lang)
  const limit = opts.limit ?? STEP_SUMMARY_LIMIT - 4096
  const v = rowsVerdict(rows, opts.rule)
  const checks = rows.reduce((n, r) => n + r.result.checks.length, 0)
  const head = [
    `## ${w.title}: ${v.decision === 'GO' ? `${v.status === 'warn' ? '⚠️' : '✅'} ${w.label[v.label]}` : `❌ ${w.noGo}`}`,
    '',
    `**${w.decision}:** ${w.label[v.label]} · ${w.status[v.status]} · ${w.counts(rows.length, checks)}${opts.sha ? ` · ${w.commit} \`${opts.sha.slice(0, 12)}\`` : ''}${v.why ? ` · ${w.why[v.why] ?? v.why}` : ''}`,
  ]
  for (const r of rows) if (r.result.headline) head.push('', r.result.headline)
  const gateRows = rows.filter((r) => !r.result.headline)
  const decision: string[] = gateRows.map(
    (r) =>
      `| ${cell(categoryIn(r.category, lang))} | ${cell(tr(criteriaOf(r, lang)))} | \`${cell(r.result.id)}\` | ${w.status[r.result.status]} | ${cell(shortDigests(measuredOf(r.result)), MEASURED_LIMIT)} | ${cell(noteOf(r.result))} |`,
  )
  const decisionHead = gateRows.length
    ? ['', table([w.columns.category, w.columns.criteria, w.columns.gate, w.columns.status, w.columns.measured, w.columns.notes], [])]
    : []
  const lines: string[] = []
  for (const r of rows) {
    const checksOrNone = r.result.checks.length
      ? r.result.checks
      : [{ name: '-', status: r.result.status, observed: '-', expected: '-', message: r.result.summary }]
    for (const c of checksOrNone) {
      lines.push(
        `| \`${cell(r.result.id)}\` | ${cell(c.name, 120)} | ${w.status[c.status]} | ${cell(c.observed)} | ${cell(c.expected)} | ${c.status === 'pass' ? '' : cell(c.message)} |`,
      )
    }
  }
  const checksOpen = [
    '',
    `<details><summary>${w.allChecks(checks)}</summary>`,
    '',
    table([w.columns.gate, w.columns.check, w.columns.status, w.columns.observed, w.columns.expected, w.columns.notes], []),
  ].join('\n')
  const detailBlocks =
    opts.details === false
      ? []
      : rows
          .filter((r) => r.result.details)
          .map((r) => `\n<details><summary>${w.details}: <code>${r.result.id}</code></summary>\n\n${r.result.details}\n\n</details>`)
  const note = (n: number) => w.truncated(n, opts.reportDir ? `\`${opts.reportDir}/\`` : w.reports)
  return fit(
    [...head, ...decisionHead].join('\n'),
    decision,
    { open: checksOpen, rows: lines, close: '\n</details>' },
    detailBlocks,
    limit,
    note,
  )
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

interface Folded {
  open: string
  rows: string[]
  close: string
}

/**
 * Keeps the head, then the decision rows, then as many folded check rows as fit, then details;
 * says how many rows were left out. A cut never leaves a <details> open.
 */
function fit(head: string, decision: string[], folded: Folded, extras: string[], limit: number, note: (omitted: number) => string): string {
  const all = decision.length + folded.rows.length
  const reserve = bytes(note(all)) + bytes(folded.open) + bytes(folded.close) + 8
  const out = [head]
  let size = bytes(head) + 1
  const take = (list: string[], offset: number): number => {
    for (let i = 0; i < list.length; i++) {
      const b = bytes(list[i]) + 1
      if (size + b + reserve > limit) return offset + i
      out.push(list[i])
      size += b
    }
    return -1
  }
  const cutDecision = take(decision, 0)
  if (cutDecision >= 0) return [...out, '', note(all - cutDecision)].join('\n') + '\n'
  if (folded.rows.length) {
    out.push(folded.open)
    size += bytes(folded.open) + 1
    const cut = take(folded.rows, decision.length)
    if (cut >= 0) return [...out, folded.close, '', note(all - cut)].join('\n') + '\n'
    out.push(folded.close)
    size += bytes(folded.close) + 1
  }
  for (const e of extras) {
    const b = bytes(e) + 1
    if (size + b > limit) break
    out.push(e)
    size += b
  }
  return out.join('\n') + '\n'
}

/** Cuts text to the check-run limit, saying so at the end. */
export function clip(text: string, limit = CHECK_TEXT_LIMIT): string {
  if (text.length <= limit) return text
  const note = '\n\n… (truncated: the full report is in the JSON report artifact)'
  return text.slice(0, limit - note.length) + note
}

/** Plain-text Go/No-Go table for the terminal. */
export function renderTable(given: GateRow[], language: Language, rule: DecisionRule = DEFAULT_RULE): string {
  const w = WORDS[language]
  const rows = given.map((r) => ({ ...r, result: localizeResult(r.result, language) }))
  const v = rowsVerdict(rows, rule)
  const tr = (text: string) => translate(text, language)
  const body: string[][] = [[w.columns.gate, w.columns.criteria, w.columns.status, w.columns.notes]]
  for (const r of rows) {
    const note = r.result.status === 'pass' ? measuredOf(r.result) : noteOf(r.result)
    body.push([r.result.id, tr(criteriaOf(r, language)), w.status[r.result.status], note.replace(/\s+/g, ' ')])
  }
  const widths = [0, 1, 2].map((i) => Math.min(40, Math.max(...body.map((row) => [...row[i]].length))))
  const line = (row: string[]) =>
    row
      .slice(0, 3)
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ') +
    '  ' +
    row[3]
  return [
    ...body.map(line),
    '',
    `${w.decision}: ${w.label[v.label]} (${v.status.toUpperCase()}, ${w.counts(
      rows.length,
      rows.reduce((n, r) => n + r.result.checks.length, 0),
    )}${v.why ? `; ${w.why[v.why] ?? v.why}` : ''})`,
  ].join('\n')
}
