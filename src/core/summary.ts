/**
 * The Go/No-Go table, after the decision template of `seeds/production-cutover-checklist.md`:
 * one row per check, the decision on top. Used for the job summary, the check-run output and
 * (as plain text) the CLI.
 */
import { cell as mdCell, table } from '../lib/markdown.js'
import { WORDS, type Language } from './i18n.js'
import type { GateResult } from './result.js'
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

/** Markdown for the job summary, cut to `limit` bytes with a visible note when needed. */
export function renderSummary(rows: GateRow[], opts: SummaryOptions): string {
  const w = WORDS[opts.language]
  const limit = opts.limit ?? STEP_SUMMARY_LIMIT - 4096
  const v = rowsVerdict(rows, opts.rule)
  const checks = rows.reduce((n, r) => n + r.result.checks.length, 0)
  const head = [
    `## ${w.title}: ${v.decision === 'GO' ? `${v.status === 'warn' ? '⚠️' : '✅'} ${w.label[v.label]}` : `❌ ${w.noGo}`}`,
    '',
    `**${w.decision}:** ${w.label[v.label]} · ${w.status[v.status]} · ${w.counts(rows.length, checks)}${opts.sha ? ` · ${w.commit} \`${opts.sha.slice(0, 12)}\`` : ''}${v.why ? ` · ${w.why[v.why] ?? v.why}` : ''}`,
    '',
    table(
      [
        w.columns.category,
        w.columns.criteria,
        w.columns.gate,
        w.columns.check,
        w.columns.status,
        w.columns.observed,
        w.columns.expected,
        w.columns.notes,
      ],
      [],
    ),
  ].join('\n')
  const lines: string[] = []
  for (const r of rows) {
    const checksOrNone = r.result.checks.length
      ? r.result.checks
      : [{ name: '-', status: r.result.status, observed: '-', expected: '-', message: r.result.summary }]
    for (const c of checksOrNone) {
      lines.push(
        `| ${cell(r.category)} | ${cell(r.criteria)} | \`${cell(r.result.id)}\` | ${cell(c.name, 120)} | ${w.status[c.status]} | ${cell(c.observed)} | ${cell(c.expected)} | ${c.status === 'pass' ? '' : cell(c.message)} |`,
      )
    }
  }
  const detailBlocks =
    opts.details === false
      ? []
      : rows
          .filter((r) => r.result.details)
          .map((r) => `\n<details><summary>${w.details}: <code>${r.result.id}</code></summary>\n\n${r.result.details}\n\n</details>`)
  return fit(head, lines, detailBlocks, limit, (n) => w.truncated(n, opts.reportDir ? `\`${opts.reportDir}/\`` : w.reports))
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

/** Keeps the head, then as many rows as fit, then details; says how many rows were left out. */
function fit(head: string, rows: string[], extras: string[], limit: number, note: (omitted: number) => string): string {
  let size = bytes(head) + 1
  const kept: string[] = []
  const reserve = bytes(note(rows.length)) + 8
  for (let i = 0; i < rows.length; i++) {
    const b = bytes(rows[i]) + 1
    if (size + b + reserve > limit) {
      return [head, ...kept, '', note(rows.length - i)].join('\n') + '\n'
    }
    kept.push(rows[i])
    size += b
  }
  const out = [head, ...kept]
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
export function renderTable(rows: GateRow[], language: Language, rule: DecisionRule = DEFAULT_RULE): string {
  const w = WORDS[language]
  const v = rowsVerdict(rows, rule)
  const body: string[][] = [[w.columns.gate, w.columns.criteria, w.columns.status, w.columns.notes]]
  for (const r of rows) {
    const note = r.result.status === 'pass' ? `${r.result.checks.length} check(s)` : r.result.summary.replace(`${r.result.id}: `, '')
    body.push([r.result.id, r.criteria, w.status[r.result.status], note])
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
