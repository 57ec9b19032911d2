/**
 * The cutover broadcast: the communication plan of the payments runbook
 * (`seeds/payments-cutover-runbook.{en,tr}.md`, "Communication Plan" / "İletişim Planı") as one
 * language-neutral notification that each webhook format then renders. The start, GO-LIVE and
 * rollback sentences are the runbook's, word for word; NO-GO and completion have no sentence in
 * the runbook, so theirs follow its Go/No-Go template ("postpone cutover") and its completion
 * criteria ("Go-Live is considered COMPLETE" / "TAMAMLANDI").
 */
import type { Language } from '../core/i18n.js'
import type { Status } from '../core/result.js'

export const EVENTS = ['start', 'checkpoint', 'go', 'no-go', 'rollback', 'complete'] as const
export type NotifyEvent = (typeof EVENTS)[number]

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

export interface Labels {
  repository: string
  commit: string
  status: string
  event: string
  viewRun: string
  /** `… and 3 more` when lines are cut to fit a payload's limit. */
  more: (n: number) => string
}

interface Plan {
  titles: Record<NotifyEvent, string>
  start: string
  go: string
  noGo: string
  complete: string
  rollback: (reason: string) => string
  reasonMissing: string
  checkpoint: (counts: string) => string
  noCheckpoints: string
  status: Record<Status, string>
  labels: Labels
}

export const PLAN: Record<Language, Plan> = {
  en: {
    titles: {
      start: 'Cutover Start',
      checkpoint: 'Checkpoint Update',
      go: 'GO-LIVE Announcement',
      'no-go': 'NO-GO Decision',
      rollback: 'Rollback',
      complete: 'Go-Live Complete',
    },
    start: 'Cutover initiated. Maintenance window active. Updates every 15m.',
    go: 'GO decision made. System live. Hypercare started.',
    noGo: 'NO-GO decision made. One or more criteria failed; cutover postponed.',
    complete: 'Go-Live COMPLETE. Hypercare continues.',
    rollback: (reason) => `Rollback triggered. Reason: ${reason}. Restoration in progress.`,
    reasonMissing: 'not given',
    checkpoint: (counts) => `Checkpoint update: ${counts}.`,
    noCheckpoints: 'Checkpoint update.',
    status: { pass: 'PASS', warn: 'WARN', fail: 'FAIL' },
    labels: {
      repository: 'Repository',
      commit: 'Commit',
      status: 'Status',
      event: 'Event',
      viewRun: 'View run',
      more: (n) => `… and ${n} more`,
    },
  },
  tr: {
    titles: {
      start: 'Cutover Başlangıcı',
      checkpoint: 'Kontrol Noktası Güncellemesi',
      go: 'GO-LIVE Duyurusu',
      'no-go': 'NO-GO Kararı',
      rollback: 'Rollback',
      complete: 'Go-Live Tamamlandı',
    },
    start: 'Cutover başlatıldı. Bakım penceresi aktif. Her 15 dakikada bir güncelleme.',
    go: 'GO kararı verildi. Sistem canlı. Hypercare başladı.',
    noGo: 'NO-GO kararı verildi. Bir veya daha fazla kriter sağlanmadı; cutover ertelendi.',
    complete: 'Go-Live TAMAMLANDI. Hypercare devam ediyor.',
    rollback: (reason) => `Rollback tetiklendi. Sebep: ${reason}. Geri yükleme devam ediyor.`,
    reasonMissing: 'belirtilmedi',
    checkpoint: (counts) => `Kontrol noktası güncellemesi: ${counts}.`,
    noCheckpoints: 'Kontrol noktası güncellemesi.',
    status: { pass: 'PASS', warn: 'UYARI', fail: 'FAIL' },
    labels: {
      repository: 'Depo',
      commit: 'Commit',
      status: 'Durum',
      event: 'Olay',
      viewRun: 'Çalıştırmayı aç',
      more: (n) => `… ve ${n} tane daha`,
    },
  },
}

const STATUS_ORDER: Status[] = ['pass', 'warn', 'fail']

/** The verdict a notification carries: fixed by the event, or the worst checkpoint. */
export function eventStatus(event: NotifyEvent, checkpoints: Checkpoint[]): NotifyStatus {
  switch (event) {
    case 'start':
      return 'info'
    case 'go':
    case 'complete':
      return 'pass'
    case 'no-go':
    case 'rollback':
      return 'fail'
    case 'checkpoint':
      if (checkpoints.length === 0) return 'info'
      return checkpoints.some((c) => c.status === 'fail') ? 'fail' : checkpoints.some((c) => c.status === 'warn') ? 'warn' : 'pass'
  }
}

export function statusWord(status: NotifyStatus, language: Language): string {
  return status === 'info' ? 'INFO' : PLAN[language].status[status]
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

/** A sentence ends with one full stop: "Reason: p99 over 800ms." not "...800ms..". */
const clause = (s: string) => s.trim().replace(/[\s.]+$/, '')

export function buildNotification(i: NotificationInput): Notification {
  const plan = PLAN[i.language]
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
    case 'checkpoint': {
      const counts = STATUS_ORDER.map((s) => [s, i.checkpoints.filter((c) => c.status === s).length] as const)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${plan.status[s]}`)
        .join(', ')
      sentence = counts ? plan.checkpoint(counts) : plan.noCheckpoints
      break
    }
  }
  // The rollback reason is already in its sentence; elsewhere the free text follows the sentence.
  const text = i.event !== 'rollback' && note ? `${sentence} ${note}` : sentence
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
