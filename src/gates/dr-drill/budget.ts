/**
 * The RPO budget: data loss counted in files (files lost from a manifest, or WAL segments not
 * yet archived: "RPO ≤ 1 file" in the runbook) and/or in time (age of the newest backup, or
 * of the last archived WAL segment). A drill that measures both kinds needs both budgets, so
 * one input may carry one of each: `1 file, 24h`.
 */
import { InputFormError, formatDuration, parseDuration } from '../../core/units.js'

export interface RpoBudget {
  files?: number
  ms?: number
}

export const RPO_FORM =
  'a number of files such as `1 file` or `0 files`, a duration such as `24h`, or one of each separated by a comma: `1 file, 24h`'

export function parseRpo(raw: string): RpoBudget {
  const items = raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length === 0 || items.length > 2) throw new InputFormError(raw, RPO_FORM)
  const budget: RpoBudget = {}
  for (const item of items) {
    const files = /^(\d{1,9})\s*files?$/i.exec(item)
    if (files) {
      if (budget.files !== undefined) throw new InputFormError(raw, `${RPO_FORM} (a number of files is given twice)`)
      budget.files = Number(files[1])
      continue
    }
    let ms: number
    try {
      ms = parseDuration(item)
    } catch {
      throw new InputFormError(item, RPO_FORM)
    }
    if (budget.ms !== undefined) throw new InputFormError(raw, `${RPO_FORM} (a duration is given twice)`)
    budget.ms = ms
  }
  return budget
}

export function formatFiles(n: number | bigint): string {
  return `${n} file${n === 1 || n === 1n ? '' : 's'}`
}

export function formatRpo(b: RpoBudget): string {
  return [b.files !== undefined ? formatFiles(b.files) : '', b.ms !== undefined ? formatDuration(b.ms) : ''].filter(Boolean).join(', ')
}

/** The longest `rto` or `timeout`: a drill step that may run for weeks is not a drill. */
export const MAX_STEP_MS = 24 * 86_400_000

export const POSITIVE_DURATION_FORM = 'a duration above zero, such as 90s, 15m or 1h30m'

export function parsePositiveDuration(raw: string): number {
  let ms: number
  try {
    ms = parseDuration(raw)
  } catch {
    throw new InputFormError(raw, POSITIVE_DURATION_FORM)
  }
  // The kill timer itself can wait longer (run.ts chains timers); the default limit is twice `rto`.
  if (ms <= 0 || ms > MAX_STEP_MS) throw new InputFormError(raw, `${POSITIVE_DURATION_FORM}, at most 24d`)
  return ms
}
