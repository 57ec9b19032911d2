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
import type { Language } from '../../core/i18n.js'
import type { Status } from '../../core/result.js'

export const EVENTS = ['start', 'checkpoint', 'phase', 'approved', 'go', 'no-go', 'rollback', 'rollback-failed', 'complete'] as const
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
  /** The loudest message: the way back did not work, so people must act now. */
  rollbackFailed: (reason: string) => string
  reasonMissing: string
  /** After the approval: the checkpoint that lets the steps begin. */
  approved: string
  /** `Pre-flight PASS`: a phase and the verdict of its reports. */
  phase: (name: string, word: string) => string
  /** A phase that left no report: nothing was measured, so it did not pass. */
  phaseNoReport: (name: string, word: string) => string
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
      phase: 'Checkpoint Update',
      approved: 'Checkpoint Update',
      go: 'GO-LIVE Announcement',
      'no-go': 'NO-GO Decision',
      rollback: 'Rollback',
      'rollback-failed': 'ROLLBACK FAILED',
      complete: 'Go-Live Complete',
    },
    start: 'Cutover initiated. Maintenance window active. Updates at every checkpoint.',
    go: 'GO decision made. System live. Hypercare started.',
    noGo: 'NO-GO decision made. One or more criteria failed; cutover postponed.',
    complete: 'Go-Live COMPLETE. Hypercare continues.',
    rollback: (reason) => `Rollback triggered. Reason: ${reason}. Restoration in progress.`,
    rollbackFailed: (reason) =>
      `ROLLBACK FAILED. Reason: ${reason}. The previous version is not confirmed restored: the Incident Commander decides now. Follow the rollback plan by hand (maintenance mode, previous version, restore, verify) and keep traffic closed until the system is verified.`,
    reasonMissing: 'not given',
    approved: 'GO to start the cutover.',
    phase: (name, word) => `${name} ${word}`,
    phaseNoReport: (name, word) => `${name} ${word}: no gate report was written, so nothing was measured.`,
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
      phase: 'Kontrol Noktası Güncellemesi',
      approved: 'Kontrol Noktası Güncellemesi',
      go: 'GO-LIVE Duyurusu',
      'no-go': 'NO-GO Kararı',
      rollback: 'Rollback',
      'rollback-failed': 'ROLLBACK BAŞARISIZ',
      complete: 'Go-Live Tamamlandı',
    },
    start: 'Cutover başlatıldı. Bakım penceresi aktif. Her kontrol noktasında güncelleme.',
    go: 'GO kararı verildi. Sistem canlı. Hypercare başladı.',
    noGo: 'NO-GO kararı verildi. Bir veya daha fazla kriter sağlanmadı; cutover ertelendi.',
    complete: 'Go-Live TAMAMLANDI. Hypercare devam ediyor.',
    rollback: (reason) => `Rollback tetiklendi. Sebep: ${reason}. Geri yükleme devam ediyor.`,
    rollbackFailed: (reason) =>
      `ROLLBACK BAŞARISIZ. Sebep: ${reason}. Önceki sürümün geri yüklendiği doğrulanmadı: karar şimdi Incident Commander'da. Rollback planını elle uygulayın (maintenance mode, önceki sürüm, geri yükleme, doğrulama) ve sistem doğrulanana kadar trafiği kapalı tutun.`,
    reasonMissing: 'belirtilmedi',
    approved: "Cutover'ı başlatmak için GO verildi.",
    phase: (name, word) => `${name} ${word}`,
    phaseNoReport: (name, word) => `${name} ${word}: gate raporu yazılmadı, yani hiçbir şey ölçülmedi.`,
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

const WORKED_IN = new Set<NotifyEvent>(['rollback', 'rollback-failed', 'phase'])

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
