/**
 * The one GO / NO-GO rule. Every surface that states a decision (the `cutover check` table, the
 * job-summary header, `cutover rehearse`, `decide`, notify) calls this, so a rehearsal on a
 * laptop says what CI will say:
 *
 *   any `fail`                → NO-GO
 *   any `warn`, no allow-warn → NO-GO ("a warning is not a GO unless you said so")
 *   any `warn`, allow-warn    → GO with warnings
 *   all `pass`                → GO
 *   nothing measured          → NO-GO
 */
import { worst, type Status } from './result.js'

export type Decision = 'GO' | 'NO-GO'

/** The decision settings: `decide:` in cutover.yml, decide's inputs, the CLI flags. */
export interface DecisionRule {
  /** Let a gate that warned count towards GO. */
  allowWarn: boolean
}

export interface DecisionSettings extends DecisionRule {
  /** Gate ids that must have reported; undefined when none were named. */
  required?: string[]
  /** A report older than this (ms) is stale. */
  maxReportAgeMs: number
}

export const DEFAULT_MAX_REPORT_AGE = '24h'
export const DEFAULT_MAX_REPORT_AGE_MS = 24 * 3_600_000
export const DEFAULT_RULE: DecisionRule = { allowWarn: false }

export interface Verdict {
  decision: Decision
  /** The worst status seen (`fail` when nothing was measured). */
  status: Status
  /** `GO`, `GO with warnings` or `NO-GO`. */
  label: 'GO' | 'GO with warnings' | 'NO-GO'
  /** Why it is NO-GO, in a clause; absent for GO. */
  why?: string
}

export function verdict(statuses: Iterable<Status>, rule: DecisionRule): Verdict {
  const list = [...statuses]
  if (list.length === 0) return { decision: 'NO-GO', status: 'fail', label: 'NO-GO', why: 'nothing was measured' }
  const status = worst(list)
  if (status === 'fail') return { decision: 'NO-GO', status, label: 'NO-GO', why: 'a gate failed' }
  if (status === 'warn' && !rule.allowWarn)
    return { decision: 'NO-GO', status, label: 'NO-GO', why: 'a gate warned and `allow-warn` is not set' }
  return { decision: 'GO', status, label: status === 'warn' ? 'GO with warnings' : 'GO' }
}

/** Whether one status counts towards GO under the rule. */
export function admits(status: Status, rule: DecisionRule): boolean {
  return status === 'pass' || (status === 'warn' && rule.allowWarn)
}
