/**
 * The one recording pipeline every run of gates goes through (the actions, `cutover check`,
 * `cutover rehearse`): redact → report → ledger → summary. Each result is masked first, then
 * written as its JSON report, which the ledger records under its lock, and the job-summary
 * Markdown is rendered from the same masked rows. A refused input writes no report, so nothing
 * of an earlier run is overwritten; a folder that refuses the reports loses nothing measured:
 * the rows come back, with the sentence saying why they were not saved.
 */
import { fsProblem } from '../lib/errno.js'
import type { Language } from './i18n.js'
import type { Redact } from './redact.js'
import { writeReport, type Subject } from './report.js'
import type { GateResult } from './result.js'
import { renderSummary, type GateRow } from './summary.js'
import type { DecisionRule } from './verdict.js'

/** A row as runners hold it: the result (with runGate's extras), its table labels, its outputs. */
export type RecordRow = GateRow & { outputs: Record<string, string>; inputError?: boolean }

export interface RecordOptions {
  redact: Redact
  reportDir: string
  subject: Subject
  language: Language
  rule: DecisionRule
  /** The head of the previous job's ledger that a new ledger in `reportDir` continues (see core/ledger.ts). */
  ledgerStart?: string
}

export interface Recording<R extends RecordRow> {
  /** The rows, every result masked. */
  rows: R[]
  /** Each row's report file, or undefined (a refused input, or a write that failed). */
  reports: (string | undefined)[]
  /** Why the reports were not saved, as the end of a sentence about the folder (`does not exist`). */
  unsaved?: string
  /** The first write error itself, for callers that pass it on. */
  error?: unknown
  /** The Go/No-Go table of the rows, as the job summary shows it. */
  summary: string
}

/** A result as its report holds it: without what runGate adds for the runner (outputs, inputError). */
export function reportOf(r: GateResult & { outputs?: unknown; inputError?: unknown }): GateResult {
  const { outputs: _o, inputError: _i, ...rest } = r
  return rest
}

export async function recordRun<R extends RecordRow>(rows: R[], o: RecordOptions): Promise<Recording<R>> {
  const clean = rows.map((r) => ({ ...r, result: o.redact(r.result) }))
  const saved = await Promise.allSettled(
    clean.map((r) =>
      r.inputError ? Promise.resolve(undefined) : writeReport(o.reportDir, reportOf(r.result), o.subject, { ledgerStart: o.ledgerStart }),
    ),
  )
  const failed = saved.find((x): x is PromiseRejectedResult => x.status === 'rejected')
  const reports = saved.map((x) => (x.status === 'fulfilled' ? x.value : undefined))
  const summary = renderSummary(clean, { language: o.language, sha: o.subject.sha, reportDir: o.reportDir, rule: o.rule })
  if (!failed) return { rows: clean, reports, summary }
  const err = failed.reason as NodeJS.ErrnoException
  const unsaved = err.code ? fsProblem(err, 'written') : `could not take the reports (${err.message})`
  return { rows: clean, reports, unsaved, error: failed.reason, summary }
}
