/**
 * Every word we write in a language: the job summary and check-run text, decide's decision
 * table, and notify's broadcast. One dictionary, one block per language, so a language is
 * added (or a word corrected) in one place. The Turkish follows the wording of the payments
 * runbook (`seeds/payments-cutover-runbook.tr.md`): PASS/FAIL, GO/NO-GO Kararı.
 */
import type { Status } from './result.js'

/** The languages the dictionary below is written in. */
export const LANGUAGES = ['en', 'tr'] as const
export type Language = (typeof LANGUAGES)[number]

/** A category (`Infrastructure`) in the summary's language. */
export const categoryIn = (category: string, language: Language): string =>
  Object.hasOwn(WORDS[language].category, category) ? WORDS[language].category[category] : category

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language)

/** decide's table, after the runbook's Go/No-Go template (Category | Criteria | Status | Notes). */
export interface DecisionWords {
  columns: string[]
  verdict: Record<Status, string>
  plain: Record<Status, string>
  go: string
  noGo: string
  final: string
}

/** The events notify announces; their titles and sentences are below. */
export const NOTIFY_EVENTS = ['start', 'checkpoint', 'phase', 'approved', 'go', 'no-go', 'rollback', 'rollback-failed', 'complete'] as const
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number]

export interface Labels {
  repository: string
  commit: string
  status: string
  event: string
  viewRun: string
  /** `… and 3 more` when lines are cut to fit a payload's limit. */
  more: (n: number) => string
}

export interface BroadcastWords {
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

/** decide's headline and details around the table. */
export interface DecideWords {
  commit: string
  noCommit: string
  run: (id: string, attempt?: string) => string
  decided: string
  maker: string
  signature: string
  unsigned: string
  dateTime: string
  bundle: string
  bundleWritten: (file: string, digest: string) => string
  bundleNotWritten: string
  approvals: (n: number) => string
  moreApprovals: (n: number) => string
  approvalColumns: string[]
  skipped: (list: string) => string
  /** The Gantt chart's title: T-0 is the decision at this UTC time. */
  timeline: (decision: string, time: string) => string
  timelineCut: (shown: number, all: number) => string
  /** A bar's label: from, to, how long. */
  bar: (from: string, to: string, took: string) => string
}

export interface Words {
  title: string
  decision: string
  go: string
  noGo: string
  /** The decision's label (src/core/verdict.ts). */
  label: Record<'GO' | 'GO with warnings' | 'NO-GO', string>
  /** Why it is NO-GO, keyed by the rule's English clause. */
  why: Record<string, string>
  status: Record<Status, string>
  columns: {
    category: string
    criteria: string
    gate: string
    check: string
    status: string
    observed: string
    expected: string
    measured: string
    notes: string
  }
  /** The folded table of every check. */
  allChecks: (checks: number) => string
  /** `Reports: <dir>/` after the terminal table. */
  reportsIn: (dir: string) => string
  /** The template's categories (`Infrastructure`, `Security`, …), as gates name them. */
  category: Record<string, string>
  counts: (gates: number, checks: number) => string
  commit: string
  truncated: (omitted: number, where: string) => string
  details: string
  reports: string
  decisionTable: DecisionWords
  decide: DecideWords
  broadcast: BroadcastWords
}

export const WORDS: Record<Language, Words> = {
  en: {
    title: 'Cutover gates',
    decision: 'Go/No-Go decision',
    go: 'GO',
    noGo: 'NO-GO',
    label: { GO: 'GO', 'GO with warnings': 'GO with warnings', 'NO-GO': 'NO-GO' },
    why: {
      'nothing was measured': 'nothing was measured',
      'a gate failed': 'a gate failed',
      'a gate warned and `allow-warn` is not set': 'a gate warned and `allow-warn` is not set',
    },
    status: { pass: '✅ PASS', warn: '⚠️ WARN', fail: '❌ FAIL' },
    columns: {
      category: 'Category',
      criteria: 'Criteria',
      gate: 'Gate',
      check: 'Check',
      status: 'Status',
      observed: 'Observed',
      expected: 'Expected',
      measured: 'Measured',
      notes: 'Notes',
    },
    allChecks: (n) => `Every check (${n})`,
    category: {},
    reportsIn: (dir) => `Reports: ${dir}`,
    counts: (g, c) => `${g} gate${g === 1 ? '' : 's'}, ${c} check${c === 1 ? '' : 's'}`,
    commit: 'commit',
    truncated: (n, where) => `⚠️ Summary truncated to stay under GitHub's 1 MiB limit: ${n} more row(s) are in ${where}.`,
    details: 'Details',
    reports: 'the JSON reports',
    decisionTable: {
      columns: ['Category', 'Criteria', 'Status', 'Notes'],
      verdict: { pass: '✅ GO', warn: '⚠️ GO (warning)', fail: '❌ NO-GO' },
      plain: { pass: 'GO', warn: 'GO (warning)', fail: 'NO-GO' },
      go: 'All criteria met, proceed with cutover',
      noGo: 'One or more criteria failed, postpone cutover',
      final: 'Final decision',
    },
    decide: {
      commit: 'commit',
      noCommit: 'no commit named',
      run: (id, attempt) => `run ${id}${attempt ? ` attempt ${attempt}` : ''}`,
      decided: 'decided',
      maker: 'Decision maker',
      signature: 'Signature',
      unsigned: 'unsigned',
      dateTime: 'Date/Time',
      bundle: 'Evidence bundle',
      bundleWritten: (file, digest) => `\`${file}\` (${digest}); check it with \`cutover bundle verify ${file}\`.`,
      bundleNotWritten: 'not written.',
      approvals: (n) => `Recorded approvals (${n})`,
      moreApprovals: (n) => `… and ${n} more in the bundle.`,
      approvalColumns: ['Approver', 'State', 'Environments', 'Comment', 'Recorded at'],
      skipped: (list) => `Left out of the decision: ${list}.`,
      timeline: (decision, time) => `Cutover timeline, UTC (T-0 is the ${decision} decision at ${time})`,
      timelineCut: (shown, all) =>
        `The chart shows ${shown} of ${all} gates (every one that did not pass); the bundle's \`timeline\` lists them all.`,
      bar: (from, to, took) => `${from} to ${to}, ${took}`,
    },
    broadcast: {
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
  },
  tr: {
    title: 'Cutover kontrolleri',
    decision: 'GO/NO-GO Kararı',
    go: 'GO',
    noGo: 'NO-GO',
    label: { GO: 'GO', 'GO with warnings': 'GO (uyarılarla)', 'NO-GO': 'NO-GO' },
    why: {
      'nothing was measured': 'hiçbir şey ölçülmedi',
      'a gate failed': 'bir kontrol FAIL verdi',
      'a gate warned and `allow-warn` is not set': 'bir kontrol uyarı verdi ve `allow-warn` ayarlı değil',
    },
    status: { pass: '✅ PASS', warn: '⚠️ UYARI', fail: '❌ FAIL' },
    columns: {
      category: 'Kategori',
      criteria: 'Kriter',
      gate: 'Kontrol noktası',
      check: 'Kontrol',
      status: 'Durum',
      observed: 'Gözlenen',
      expected: 'Beklenen',
      measured: 'Ölçülen',
      notes: 'Notlar',
    },
    allChecks: (n) => `Tüm kontroller (${n})`,
    category: { Infrastructure: 'Altyapı', Security: 'Güvenlik', Canary: 'Canary', Ops: 'Operasyon', Other: 'Diğer' },
    reportsIn: (dir) => `Raporlar: ${dir}`,
    counts: (g, c) => `${g} kontrol noktası, ${c} kontrol`,
    commit: 'commit',
    truncated: (n, where) => `⚠️ Özet GitHub'ın 1 MiB sınırı için kısaltıldı: ${n} satır daha ${where} içinde.`,
    details: 'Ayrıntılar',
    reports: 'JSON raporları',
    decisionTable: {
      columns: ['Kategori', 'Kriter', 'Durum', 'Notlar'],
      verdict: { pass: '✅ GO', warn: '⚠️ GO (uyarı)', fail: '❌ NO-GO' },
      plain: { pass: 'GO', warn: 'GO (uyarı)', fail: 'NO-GO' },
      go: 'Tüm kriterler karşılandı, cutover ile devam',
      noGo: 'Bir veya daha fazla kriter karşılanmadı, cutover ertelenir',
      final: 'Nihai karar',
    },
    decide: {
      commit: 'commit',
      noCommit: 'commit belirtilmedi',
      run: (id, attempt) => `çalıştırma ${id}${attempt ? ` deneme ${attempt}` : ''}`,
      decided: 'karar zamanı',
      maker: 'Karar Veren',
      signature: 'İmza',
      unsigned: 'imzasız',
      dateTime: 'Tarih/Saat',
      bundle: 'Kanıt paketi',
      bundleWritten: (file, digest) => `\`${file}\` (${digest}); doğrulamak için \`cutover bundle verify ${file}\`.`,
      bundleNotWritten: 'yazılmadı.',
      approvals: (n) => `Kaydedilen onaylar (${n})`,
      moreApprovals: (n) => `… ve ${n} tane daha pakette.`,
      approvalColumns: ['Onaylayan', 'Durum', 'Ortamlar', 'Yorum', 'Kayıt zamanı'],
      skipped: (list) => `Karara alınmayanlar: ${list}.`,
      timeline: (decision, time) => `Cutover zaman çizelgesi, UTC (T-0 saat ${time} ${decision} Kararı)`,
      timelineCut: (shown, all) =>
        `Grafik ${all} kontrolün ${shown} tanesini gösteriyor (PASS olmayanların hepsi); paketin \`timeline\` alanı hepsini listeler.`,
      bar: (from, to, took) => `${from} - ${to}, ${took}`,
    },
    broadcast: {
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
  },
}

/**
 * The gates' own sentences in another language. Gates write their checks in English (the JSON
 * reports stay in one language, whatever the run shows); what a person reads (the summary, the
 * check run, the terminal) passes through here. Each rule rewrites one English phrase; the order
 * matters where one phrase contains another, so longer phrases come first.
 */
type Rule = [RegExp, string | ((...groups: string[]) => string)]

const PHRASES: Record<Exclude<Language, 'en'>, Rule[]> = {
  tr: [],
}

/** `text` in `language`: English phrases the dictionary knows are rewritten; anything else (URLs, names, numbers) stays. */
export function translate(text: string, language: Language): string {
  if (language === 'en' || !text) return text
  let out = text
  for (const [re, to] of PHRASES[language]) out = out.replace(re, to as string)
  return out
}
