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
  /** The chart's last section, holding the decision's milestone. */
  decisionSection: string
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
      decisionSection: 'Decision',
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
      decisionSection: 'Karar',
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
  tr: [
    // The one-line summary (check-run title, step output).
    [/: PASS \((\d+) of (\d+) checks passed\)/g, ': PASS ($2 kontrolün $1 tanesi geçti)'],
    [/^([\w.-]+): WARN: /g, '$1: UYARI: '],
    [/ \(\+(\d+) more\)$/g, ' (+$1 tane daha)'],
    [/\(\+(\d+)\)$/g, '(+$1)'],
    // decide
    [/`([\w.-]+)` warned, accepted by allow-warn: /g, '`$1` uyarı verdi, allow-warn ile kabul edildi: '],
    [/`([\w.-]+)` failed: /g, '`$1` FAIL verdi: '],
    [
      /No `required` gates were named \(in `required` or the config's `decide\.required`\): decide judged the (\d+) reports? it found, so a gate that never ran would go unnoticed\./g,
      "Hiçbir `required` kontrol belirtilmedi (`required` içinde veya config'in `decide.required` alanında): decide bulduğu $1 raporu değerlendirdi, yani hiç çalışmamış bir kontrol fark edilmezdi.",
    ],
    [/Accepted by allow-warn\./g, 'allow-warn ile kabul edildi.'],
    [/List the gate ids in `required`\./g, '`required` içinde kontrol id’lerini listeleyin.'],
    [/(\d+) reports? in (\S+)/g, '$2 içinde $1 rapor'],
    [/, run not named/g, ', çalıştırma belirtilmedi'],
    [/(\w), run none\b/g, '$1, çalıştırma yok'],
    [/\b(\d+) records, last ([0-9a-f]+)/g, '$1 kayıt, son $2'],
    [/\bnone named\b/g, 'hiçbiri belirtilmedi'],
    [/\ba pass or warn report for commit\b/g, 'şu commit için PASS veya UYARI raporu:'],
    [/\bat least one gate report\b/g, 'en az bir kontrol raporu'],
    [/\bevery report from one commit and one run\b/g, 'tüm raporlar tek commit ve tek çalıştırmadan'],
    [/\bthe gate ids that must report\b/g, 'rapor vermesi gereken kontrol id’leri'],
    [
      /\ban intact ledger that records every report in the folder, and a report for every record\b/g,
      'klasördeki her raporu kaydeden bozulmamış bir defter, ve her kayıt için bir rapor',
    ],
    [/\bthe bundle written\b/g, 'paket yazıldı'],
    [/\bWrote the (GO|NO-GO) bundle (\S+) \(([^)]+)\)\./g, '$1 paketi $2 yazıldı ($3).'],
    // readyz
    [/ answered in (\d+(?:\.\d+)?m?s): the service reports (\w+); /g, ' $1 içinde yanıt verdi: servis $2 bildiriyor; '],
    [/\bcomponent (\S+) is (\w+): /g, '$1 bileşeni $2: '],
    [
      /Look at the degraded components before cutting over; the service still answers\./g,
      'Cutover öncesi bozulan bileşenlere bakın; servis hâlâ yanıt veriyor.',
    ],
    [/\bk8s verbose passed\b/g, 'k8s verbose geçti'],
    [/\bcomponents (\w+)\b/g, 'bileşenler $1'],
    [/\| URL \| HTTP \| body format \| latency \| verdict \|/g, '| URL | HTTP | gövde biçimi | gecikme | sonuç |'],
    // evidence
    [/\bsignature: Ed25519 verified\b/g, 'imza: Ed25519 doğrulandı'],
    [/\bEd25519 verified\b/g, 'Ed25519 doğrulandı'],
    [/\b(\d+) of (\d+) files match\b/g, '$2 dosyanın $1 tanesi eşleşiyor'],
    [/\ba valid (\S+) signature\b/g, 'geçerli bir $1 imzası'],
    [/\bevery listed file matches\b/g, 'listelenen her dosya eşleşiyor'],
    [/: (\d+) entries \((\w+) format\)\./g, ': $1 kayıt ($2 biçimi).'],
    [/\bHashed ([\d.]+ \S+) in (\S+) \((\d+) MB\/s, on the main thread\)\./g, '$1, $2 içinde hash’lendi ($3 MB/s, ana iş parçacığında).'],
    // key-rotation
    [
      /Key "([^"]+)" \((.+?) line (\d+)\) expires (\S+): ([\d.]+) days left as of (\S+), under (warn|fail)-within (\S+)\./g,
      (_, name: string, file: string, line: string, when: string, days: string, asOf: string, kind: string, span: string) =>
        `"${name}" anahtarı (${file} satır ${line}) ${when} tarihinde sona eriyor: ${asOf} itibarıyla ${days} gün kaldı, ${kind}-within ${span} altında.`,
    ],
    [/Rotate or renew it, then record the new date in (\S+)\./g, 'Rotate edin veya yenileyin, sonra yeni tarihi $1 içine kaydedin.'],
    [/Call its owner: ([^.|]+)\./g, 'Sahibine haber verin: $1.'],
    [/\bexpires (\S+) \(([\d.]+) days left\)/g, '$1 tarihinde sona eriyor ($2 gün kaldı)'],
    [/\bat least (\S+) left \(fail under (\S+)\)/g, 'en az $1 kalmalı ($2 altında FAIL)'],
    [/As of (\S+): fail under (\S+) left, warn under (\S+) left\./g, '$1 itibarıyla: $2 altında FAIL, $3 altında uyarı.'],
    [/\| source \| subject \| expires \| days left \| owner \| status \|/g, '| kaynak | konu | sona erme | kalan gün | sahip | durum |'],
    // canary
    [/\b(\d+) green windows in a row \((\d+) needed\)/g, 'art arda $1 yeşil pencere ($2 gerekli)'],
    [/\b(\d+) of (\d+) green windows in a row\b/g, 'art arda $2 yeşil pencerenin $1 tanesi'],
    [/\((\d+) windows? read\)/g, '($1 pencere okundu)'],
    [/\bnone in (\d+) windows?\b/g, '$1 pencerede yok'],
    [/\b(\d+) distinct windows, none overlapping\b/g, '$1 ayrı pencere, hiçbiri çakışmıyor'],
    [
      /\b(\d+) green windows in a row, each with ≥ (\S+) requests on each side, /g,
      'art arda $1 yeşil pencere, her birinde iki tarafta da ≥ $2 istek, ',
    ],
    [
      /\bno window with burst > (\S+), p99 > baseline \+ (\S+) or error rate > (\S+)/g,
      'burst > $1, p99 > baseline + $2 veya hata oranı > $3 olan pencere yok',
    ],
    [/\bevery window once, none overlapping another\b/g, 'her pencere bir kez, hiçbiri diğeriyle çakışmadan'],
    [/\berror rate ≤ /g, 'hata oranı ≤ '],
    [/\*\*Canary windows\*\* from (\S+): /g, '**Canary pencereleri** ($1): '],
    [
      /\| window \| requests canary \/ baseline \| error rate canary \/ baseline \| burst \| p99 canary \/ baseline \| verdict \|/g,
      '| pencere | istekler canary / baseline | hata oranı canary / baseline | burst | p99 canary / baseline | sonuç |',
    ],
    [/ \| green \|$/gm, ' | yeşil |'],
    [/title "p99 latency per window \(ms\)"/g, 'title "Pencere başına p99 gecikme (ms)"'],
    [/title "Error rate per window \(%\)"/g, 'title "Pencere başına hata oranı (%)"'],
    [/y-axis "error rate \(%\)"/g, 'y-axis "hata oranı (%)"'],
    [
      /<sub>red: canary (p99|error rate) · blue: baseline (p99|error rate) · orange: green limit: ([^·]+) · grey: abort: ([^<]+)<\/sub>/g,
      (_, a: string, b: string, green: string, abort: string) =>
        `<sub>kırmızı: canary ${a.replace('error rate', 'hata oranı')} · mavi: baseline ${b.replace('error rate', 'hata oranı')} · turuncu: yeşil sınırı: ${green.trim()} · gri: abort: ${abort}</sub>`,
    ],
    // dr-drill
    [/\*\*RTO\*\* \(budget (\S+)\): (\S+): \*\*(\S+)\*\* of (\S+)/g, '**RTO** (bütçe $1): $2: **$3** / $4'],
    [
      /\*\*RPO\*\* \(budget ([^)]+)\): files: \*\*(\d+) files? lost\*\* of (\d+), budget ([^\n]+)/g,
      '**RPO** (bütçe $1): dosyalar: **$2 dosya kayıp** / $3, bütçe $4',
    ],
    [/\| step \| duration \| result \|/g, '| adım | süre | sonuç |'],
    [/\b(\d+) files, ([\d.]+ \S+) hashed, (\d+) lost\b/g, '$1 dosya, $2 hash’lendi, $3 kayıp'],
    [/\b(\d+) files? of (\d+) lost\b/g, '$2 dosyadan $1 kayıp'],
    [/\bat most (\d+) files? lost\b/g, 'en fazla $1 dosya kaybı'],
    [/\bexit (\d+) after (\S+)/g, '$2 sonra çıkış $1'],
    [/\bexit (\d+) within (\S+)/g, '$2 içinde çıkış $1'],
    [/\b(\d+) files?\b(?= ?[|)])/g, '$1 dosya'],
    // policy-signatures
    [/\braw (\S+) signature, (\S+) \(binary\); key /g, 'ham $1 imzası, $2 (ikili); anahtar '],
    [/\braw (\S+) signature, (\S+) \(binary\)/g, 'ham $1 imzası, $2 (ikili)'],
    [
      /\ba valid signature by a trusted key beside the file \(\.sig, \.sigstore\.json or \.minisig\)/g,
      'dosyanın yanında güvenilen bir anahtarla geçerli bir imza (.sig, .sigstore.json veya .minisig)',
    ],
    [
      /\| policy file \| signature format \| key fingerprint \| signer \| verdict \|/g,
      '| politika dosyası | imza biçimi | anahtar parmak izi | imzalayan | sonuç |',
    ],
    // command
    [
      /\ban exit code that `exit-codes` \(([^)]+)\) maps to pass, within (\S+)/g,
      '`exit-codes` ($1) eşlemesinde pass olan bir çıkış kodu, $2 içinde',
    ],
    [/\ba last line matching `([^`]+)` that says PASS/g, '`$1` ile eşleşen ve PASS diyen son satır'],
    [/\ba JSON file written by this run\b/g, 'bu çalıştırmanın yazdığı bir JSON dosyası'],
    [/\| working directory \|/g, '| çalışma klasörü |'],
    [/\| duration \|/g, '| süre |'],
    [/\| ended \|/g, '| bitiş |'],
    [/\(line (\d+): "/g, '(satır $1: "'],
    [/^Output:$/gm, 'Çıktı:'],
    // smoke
    [/; captures /g, '; yakalar: '],
    [/\| # \| step \| request \| HTTP \| time \| result \| captured \|/g, '| # | adım | istek | HTTP | süre | sonuç | yakalanan |'],
    // shared
    [/\bexit (\d+) \((pass|warn|fail)\)/g, 'çıkış $1 ($2)'],
    [/\bexit (\d+)\b/g, 'çıkış $1'],
    [/ line (\d+)\)/g, ' satır $1)'],
    [/\b(\d+) files?\b/g, '$1 dosya'],
    // Check names (last: the tables' header rules above hold some of the same words), each a whole string (in tables they stand alone; in lines they lead a `name: value`).
    ...(
      [
        ['signature', 'imza'],
        ['files', 'dosyalar'],
        ['green windows', 'yeşil pencereler'],
        ['abort triggers', 'abort tetikleyicileri'],
        ['distinct windows', 'ayrı pencereler'],
        ['exit code', 'çıkış kodu'],
        ['verdict', 'sonuç'],
        ['reports folder', 'rapor klasörü'],
        ['commit and run', 'commit ve çalıştırma'],
        ['required gates', 'zorunlu kontroller'],
        ['ledger chain', 'defter zinciri'],
        ['evidence bundle', 'kanıt paketi'],
        ['bundle signature', 'paket imzası'],
        ['recorded approvals', 'kaydedilen onaylar'],
      ] as const
    ).flatMap(([en, tr]): Rule[] => [
      [new RegExp(`^${en}$`), tr],
      [new RegExp(`(^|· |\\| )${en}(:| \\|)`, 'gm'), `$1${tr}$2`],
    ]),
  ],
}

/** `text` in `language`: English phrases the dictionary knows are rewritten; anything else (URLs, names, numbers) stays. */
export function translate(text: string, language: Language): string {
  if (language === 'en' || !text) return text
  let out = text
  for (const [re, to] of PHRASES[language]) out = typeof to === 'string' ? out.replace(re, to) : out.replace(re, to)
  return out
}
