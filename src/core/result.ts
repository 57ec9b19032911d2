/** The result model every gate returns and every publisher reads. */

export type Status = 'pass' | 'warn' | 'fail'

export const STATUS_RANK: Record<Status, number> = { pass: 0, warn: 1, fail: 2 }

/** Where a finding points: a file (for annotations) or a URL. */
export interface Location {
  path?: string
  line?: number
  url?: string
}

/** One measured thing: what was seen, what was expected, and a sentence a person can act on. */
export interface Check {
  name: string
  status: Status
  observed: string
  expected: string
  message: string
  location?: Location
}

export interface GateResult {
  /** Gate id: names the check run and the report file. */
  id: string
  /** Which gate produced it (`readyz`, `evidence`, ...). */
  gate: string
  status: Status
  /** One line. */
  summary: string
  checks: Check[]
  metrics: Record<string, number>
  /** Extra markdown shown in the check run text and the job summary (tables, charts). */
  details?: string
  /**
   * Markdown the job summary shows first and unfolded, in place of the gate's row (decide's
   * Go/No-Go table): what a reader must see before anything else.
   */
  headline?: string
  /** The criterion as configured (`Keys healthy (2+ days)` for `fail-within: 2d`), when the gate states its thresholds. */
  criteria?: { en: string; tr: string }
  startedAt: string
  finishedAt: string
  durationMs: number
}

export function worst(statuses: Iterable<Status>): Status {
  let w: Status = 'pass'
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[w]) w = s
  return w
}

/** A gate with no checks measured nothing: that is a fail, never a pass. */
export function statusOf(checks: Check[]): Status {
  return checks.length === 0 ? 'fail' : worst(checks.map((c) => c.status))
}

export const EXIT_CODE: Record<Status, number> = { pass: 0, warn: 1, fail: 2 }

export function check(status: Status, name: string, observed: string, expected: string, message: string, location?: Location): Check {
  return location ? { name, status, observed, expected, message, location } : { name, status, observed, expected, message }
}
