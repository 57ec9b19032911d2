/** The JSON report `<report-dir>/<id>.json`: the gate result plus the commit and run it belongs to. */
import path from 'node:path'
import { appendLedger } from './ledger.js'
import type { GateResult } from './result.js'

export const REPORT_SCHEMA_VERSION = 1

/** What a report is about: lets `decide` refuse a report from another commit or run. */
export interface Subject {
  repository?: string
  sha?: string
  ref?: string
  runId?: string
  runAttempt?: string
  actor?: string
  workflow?: string
  job?: string
  eventName?: string
}

export interface Report extends GateResult {
  schemaVersion: number
  subject: Subject
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/
export const ID_FORM = 'letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 100 characters'

/**
 * Writes the report atomically (temp file + rename), so a reader never sees half a report, and
 * appends its record to the folder's hash-chained ledger: every report written is accounted for.
 */
export async function writeReport(dir: string, result: GateResult, subject: Subject, opts: { ledgerStart?: string } = {}): Promise<string> {
  const file = path.join(dir, `${result.id}.json`)
  const report: Report = { schemaVersion: REPORT_SCHEMA_VERSION, ...result, subject }
  const bytes = Buffer.from(JSON.stringify(report, null, 2) + '\n', 'utf8')
  // The ledger puts the file in place under its lock and records the SHA-256 of these very bytes.
  // A new ledger continues the previous job's head when one is given (one chain across the run).
  await appendLedger(dir, {
    id: result.id,
    status: result.status,
    reportFile: file,
    time: result.finishedAt,
    bytes,
    ...(opts.ledgerStart ? { start: opts.ledgerStart } : {}),
  })
  return file
}

export function subjectFromEnv(env: Record<string, string | undefined>, sha?: string): Subject {
  const s: Subject = {
    repository: env.GITHUB_REPOSITORY,
    sha: sha ?? env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    actor: env.GITHUB_ACTOR,
    workflow: env.GITHUB_WORKFLOW,
    job: env.GITHUB_JOB,
    eventName: env.GITHUB_EVENT_NAME,
  }
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Subject
}
