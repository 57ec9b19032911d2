/**
 * The cutover broadcast: the communication plan of the payments runbook
 * (`seeds/payments-cutover-runbook.{en,tr}.md`, "Communication Plan" / "İletişim Planı") as one
 * language-neutral notification that each webhook format then renders. The GO-LIVE and rollback
 * sentences are the runbook's, word for word; NO-GO and completion have no sentence in the
 * runbook, so theirs follow its Go/No-Go template ("postpone cutover") and its completion
 * criteria ("Go-Live is considered COMPLETE" / "TAMAMLANDI"). The start sentence is the
 * runbook's without "Updates every 15m": nothing here sends on a timer, so the promise is
 * "at every checkpoint" (the runbook's "Every 15m or at checkpoints"). A phase checkpoint is the
 * runbook's "Pre-flight PASS" line, its word computed from the phase's reports, never given.
 */
import { NOTIFY_EVENTS, WORDS, type Labels, type Language, type NotifyEvent } from '../../core/i18n.js'
import type { Status } from '../../core/result.js'

export const EVENTS = NOTIFY_EVENTS
export type { Labels, NotifyEvent }

/** `info` for announcements that carry no verdict (the cutover start). */
export type NotifyStatus = Status | 'info'

/** One gate report, as a checkpoint line: `<id> PASS`. */
export interface Checkpoint {
  id: string
  status: Status
  summary: string
}

/** Everything a payload shows, already in the chosen language. */
export interface Notification {
  event: NotifyEvent
  status: NotifyStatus
  language: Language
  /** Short heading: the runbook's name for the message ("GO-LIVE Announcement"). */
  title: string
  /** The runbook's sentence, with the free text (or the rollback reason) worked in. */
  text: string
  checkpoints: Checkpoint[]
  /** `pre-flight PASS`, one per checkpoint, in report order. */
  lines: string[]
  repository?: string
  sha?: string
  runUrl?: string
  labels: Labels
}

const STATUS_ORDER: Status[] = ['pass', 'warn', 'fail']

const worstOf = (checkpoints: Checkpoint[]): Status =>
  checkpoints.some((c) => c.status === 'fail') ? 'fail' : checkpoints.some((c) => c.status === 'warn') ? 'warn' : 'pass'

/** The verdict a notification carries: fixed by the event, or the worst checkpoint. */
export function eventStatus(event: NotifyEvent, checkpoints: Checkpoint[]): NotifyStatus {
  switch (event) {
    case 'start':
      return 'info'
    case 'go':
    case 'approved':
    case 'complete':
      return 'pass'
    case 'no-go':
    case 'rollback':
    case 'rollback-failed':
      return 'fail'
    case 'checkpoint':
      if (checkpoints.length === 0) return 'info'
      return worstOf(checkpoints)
    case 'phase':
      // A phase with no report measured nothing: it did not pass.
      return checkpoints.length === 0 ? 'fail' : worstOf(checkpoints)
  }
}

export function statusWord(status: NotifyStatus, language: Language): string {
  return status === 'info' ? 'INFO' : WORDS[language].broadcast.status[status]
}

export interface NotificationInput {
  event: NotifyEvent
  language: Language
  checkpoints: Checkpoint[]
  /** Free text: the rollback reason, or a note added after the runbook's sentence. */
  message?: string
  repository?: string
  sha?: string
  runUrl?: string
}

const WORKED_IN = new Set<NotifyEvent>(['rollback', 'rollback-failed', 'phase'])

/** A sentence ends with one full stop: "Reason: p99 over 800ms." not "...800ms..". */
const clause = (s: string) => s.trim().replace(/[\s.]+$/, '')

export function buildNotification(i: NotificationInput): Notification {
  const plan = WORDS[i.language].broadcast
  const note = i.message?.trim() ? i.message.trim() : undefined
  const lines = i.checkpoints.map((c) => `${c.id} ${plan.status[c.status]}`)
  let sentence: string
  switch (i.event) {
    case 'start':
      sentence = plan.start
      break
    case 'go':
      sentence = plan.go
      break
    case 'no-go':
      sentence = plan.noGo
      break
    case 'complete':
      sentence = plan.complete
      break
    case 'rollback':
      sentence = plan.rollback(note ? clause(note) : plan.reasonMissing)
      break
    case 'rollback-failed':
      sentence = plan.rollbackFailed(note ? clause(note) : plan.reasonMissing)
      break
    case 'approved':
      sentence = plan.approved
      break
    case 'phase': {
      // The free text names the phase; its word comes from the reports alone.
      const name = note ? clause(note) : plan.titles.phase
      const word = statusWord(eventStatus('phase', i.checkpoints), i.language)
      sentence = i.checkpoints.length === 0 ? plan.phaseNoReport(name, word) : plan.phase(name, word)
      break
    }
    case 'checkpoint': {
      const counts = STATUS_ORDER.map((s) => [s, i.checkpoints.filter((c) => c.status === s).length] as const)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${plan.status[s]}`)
        .join(', ')
      sentence = counts ? plan.checkpoint(counts) : plan.noCheckpoints
      break
    }
  }
  // The rollback reason and the phase name are already in their sentence; elsewhere the free text follows it.
  const text = !WORKED_IN.has(i.event) && note ? `${sentence} ${note}` : sentence
  return {
    event: i.event,
    status: eventStatus(i.event, i.checkpoints),
    language: i.language,
    title: plan.titles[i.event],
    text,
    checkpoints: i.checkpoints,
    lines,
    ...(i.repository ? { repository: i.repository } : {}),
    ...(i.sha ? { sha: i.sha } : {}),
    ...(i.runUrl ? { runUrl: i.runUrl } : {}),
    labels: plan.labels,
  }
}
