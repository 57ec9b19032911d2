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

/** `a, b or c` / `a and b` in a captured list of examples: the values stay, the joining words are Turkish. */
const joined = (list: string) => list.replace(/ or /g, ' veya ').replace(/ and /g, ' ve ')

/**
 * The gates' failing and warning sentences, and the input errors: whole sentences with their values
 * (URLs, durations, counts, ids, quoted text) captured and put back unchanged. They run before the
 * phrase rules below, which word the passing lines and tables.
 */
/** What a path is when it is not a regular file (src/lib/files.ts `kindOf`). */
const KIND_TR: Record<string, string> = {
  'a folder': 'bir klasör',
  'a named pipe (FIFO)': 'adlandırılmış bir boru (FIFO)',
  'a device': 'bir aygıt',
  'a socket': 'bir soket',
}
const kindTr = (kind: string) => KIND_TR[kind] ?? kind

/** A file-system problem as the end of a sentence about a path (src/lib/errno.ts `fsProblem`). */
const FS_TR: Record<string, string> = {
  'does not exist': 'yok',
  'is a folder': 'bir klasör',
  'has a file where a folder of its path should be': 'yolunda klasör olması gereken yerde bir dosya var',
  'cannot be opened: permission denied': 'açılamıyor: izin reddedildi',
  'cannot be written: the file system is read-only': 'yazılamıyor: dosya sistemi salt okunur',
  'cannot be written: the disk is full': 'yazılamıyor: disk dolu',
}
const fsTr = (why: string) =>
  FS_TR[why] ??
  why.replace(/^cannot be (read|written) \((\w+)\)$/, (_, v: string, c: string) => `${v === 'read' ? 'okunamıyor' : 'yazılamıyor'} (${c})`)

const SENTENCES_TR: Rule[] = [
  // Input errors (src/core/inputs.ts, src/core/gate.ts): the frame, then the accepted forms.
  [/Could not run the gate: /g, 'Kontrol çalıştırılamadı: '],
  [/The gate could not measure: /g, 'Kontrol ölçüm yapamadı: '],
  [/\binput `([^`]+)` is required: give /g, '`$1` girdisi zorunlu; beklenen: '],
  [/\binput `([^`]+)`: (.+?) is not valid; expected /g, '`$1` girdisi: $2 geçerli değil; beklenen: '],
  [/\binput has no (.+?); accepted inputs are /g, 'girdilerde $1 yok; kabul edilen girdiler: '],
  [/\(value hidden\)/g, '(değer gizli)'],
  [/; did you mean (`[^`]+`)\?/g, '; $1 mi demek istediniz?'],
  [
    /\ba duration above zero and at most (\S+), such as ([^.;(]+)/g,
    (_, max: string, ex: string) => `sıfırdan büyük ve en fazla ${max} bir süre, örneğin ${joined(ex)}`,
  ],
  [
    /\ba duration above zero, such as ([^.;(]+), at most (\S+?)\./g,
    (_, ex: string, max: string) => `sıfırdan büyük bir süre, örneğin ${joined(ex)}, en fazla ${max}.`,
  ],
  [
    /\ba duration from (\S+) to (\S+), such as ([^.;(]+)/g,
    (_, a: string, b: string, ex: string) => `${a} ile ${b} arası bir süre, örneğin ${joined(ex)}`,
  ],
  [
    /\ba duration such as ([^(]+) \(several parts allowed: (\S+)\), at most (\S+) \((\d+) years\)/g,
    (_, ex: string, parts: string, max: string, y: string) =>
      `bir süre, örneğin ${joined(ex)} (birden çok parça olabilir: ${parts}), en fazla ${max} (${y} yıl)`,
  ],
  [
    /\bone or more absolute http:\/\/ or https:\/\/ URLs, one per line, such as (\S+?)\./g,
    'satır başına bir tane, bir veya daha fazla mutlak http:// veya https:// URL, örneğin $1.',
  ],
  [
    /\bJSON assertions written `path=value`, one per line, such as (\S+) or (\S+?)\./g,
    'satır başına bir tane, `path=value` biçiminde JSON doğrulamaları, örneğin $1 veya $2.',
  ],
  [
    /\bHTTP headers written `Name: value`, one per line, such as (.+?) \(/g,
    'satır başına bir tane, `Name: value` biçiminde HTTP başlıkları, örneğin $1 (',
  ],
  [
    /\benvironment variables written `NAME=value`, one per line, such as (.+?) \(/g,
    'satır başına bir tane, `NAME=value` biçiminde ortam değişkenleri, örneğin $1 (',
  ],
  [
    /\bon line (\d+), the text before the first colon is not a header name; write `Name: value`/g,
    '$1. satırda ilk iki noktadan önceki metin bir başlık adı değil; `Name: value` yazın',
  ],
  [/\bon line (\d+), the text before `=` is not a variable name/g, '$1. satırda `=` öncesindeki metin bir değişken adı değil'],
  [
    /\bthe value (?:of (\S+) )?on line (\d+) is empty; is the secret it comes from set\?/g,
    (_, name: string | undefined, line: string) => `${line}. satırdaki ${name ? `${name} ` : ''}değer boş; geldiği secret ayarlı mı?`,
  ],
  [
    /\bthe value on line (\d+) is the scheme (\S+) without a credential; is the secret it comes from set\?/g,
    '$1. satırdaki değer kimlik bilgisi olmayan $2 şeması; geldiği secret ayarlı mı?',
  ],
  [
    /\ba postgresql:\/\/ URL such as (\S+) \(special characters in the (user name and password|password) percent-encoded\)/g,
    (_, u: string, w: string) =>
      `bir postgresql:// URL, örneğin ${u} (${w === 'password' ? 'paroladaki' : 'kullanıcı adı ve paroladaki'} özel karakterler percent-encoded)`,
  ],
  [/; percent-encode \/ @ : in the user name and password/g, '; kullanıcı adı ve parolada / @ : karakterlerini percent-encode edin'],
  [
    /\bweekly windows, one per line: days, a local time range and a named IANA time zone, such as (.+?)(?=;|\.$)/g,
    (_, ex: string) =>
      `satır başına bir tane, haftalık pencereler: günler, yerel saat aralığı ve adı verilmiş bir IANA saat dilimi, örneğin ${joined(ex)}`,
  ],
  [
    /; (`[^`]+`) is a fixed offset, which does not follow daylight-saving time: name the zone, such as (\S+?)\./g,
    '; $1 sabit bir fark, yaz saatini izlemez: dilimi adıyla yazın, örneğin $2.',
  ],
  [
    /; (`[^`]+`) is not a time zone this runtime knows \(IANA names such as (\S+) or (\S+?)\)/g,
    '; $1 bu çalışma ortamının bildiği bir saat dilimi değil (IANA adları, örneğin $2 veya $3)',
  ],
  [
    /; each line has three parts: days, `HH:MM-HH:MM` and a time zone\./g,
    '; her satır üç parçadır: günler, `HH:MM-HH:MM` ve bir saat dilimi.',
  ],
  [/\ban instant with its offset, such as (`[^`]+`) or (`[^`]+`)/g, 'farkıyla birlikte bir zaman damgası, örneğin $1 veya $2'],
  [
    /\bdates or inclusive date ranges, one per line, such as (`[^`]+`) or (`[^`]+`)/g,
    'satır başına bir tane, tarihler veya dahil tarih aralıkları, örneğin $1 veya $2',
  ],
  [/; (`[^`]+`) is not a real date or range\./g, '; $1 gerçek bir tarih veya aralık değil.'],
  [/; (`[^`]+`) ends before it starts\./g, '; $1 başlamadan önce bitiyor.'],
  [/\bone of ((?:`[^`]+`, )*`[^`]+`)\./g, 'şunlardan biri: $1.'],
  [/(beklenen: )text\./g, '$1metin.'],
  [
    /\ba GitHub environment name of at most (\d+) characters, such as (\S+?)\./g,
    'en fazla $1 karakterlik bir GitHub environment adı, örneğin $2.',
  ],
  [
    /\bGitHub logins or teams written `org\/team-slug`, one per line, such as (`[^`]+`) or (`[^`]+`)\./g,
    'satır başına bir tane, GitHub kullanıcıları veya `org/team-slug` biçiminde takımlar, örneğin $1 veya $2.',
  ],
  [
    /\ba tag \(such as (\S+)\), a full 40-character commit SHA, or an instant with its offset \(such as (\S+)\)\./g,
    'bir tag (örneğin $1), 40 karakterlik tam bir commit SHA veya farkıyla birlikte bir zaman damgası (örneğin $2).',
  ],
  [
    /`none`, `some`, or a count comparison such as (`[^`]+`), (`[^`]+`) or (`[^`]+`)/g,
    '`none`, `some` veya bir sayı karşılaştırması, örneğin $1, $2 veya $3',
  ],
  [/; (`[^`]+`) holds for any answer, so it checks nothing\./g, '; $1 her yanıt için doğru, yani hiçbir şeyi kontrol etmez.'],
  [
    /\bexit codes mapped to pass, warn or fail, written `code=status` and separated by commas or lines, such as (\S+?)(,| \()/g,
    'pass, warn veya fail ile eşlenmiş, `code=status` biçiminde, virgül veya satırla ayrılmış çıkış kodları, örneğin $1$2',
  ],
  [/ each code once \((\d+) is given twice\)\./g, ' her kod bir kez ($1 iki kez verilmiş).'],
  [/\(codes (\d+) to (\d+)\)\./g, '(kodlar $1 ile $2 arası).'],
  [
    /\ba regular expression with exactly one capturing group that captures PASS, WARN or FAIL, such as (`[^`]+`) or (`[^`]+`) \(/g,
    'PASS, WARN veya FAIL yakalayan tam bir yakalama grubu olan bir düzenli ifade, örneğin $1 veya $2 (',
  ],
  [/\bit matches an empty line, so every line would match\)/g, 'boş bir satırla eşleşiyor, yani her satır eşleşirdi)'],
  [/\(Invalid regular expression: /g, '(Geçersiz düzenli ifade: '],
  // readyz
  [/ could not be reached: /g, ' adresine ulaşılamadı: '],
  [/\bconnection refused \(([^)]+)\)/g, 'bağlantı reddedildi ($1)'],
  [/\bno DNS record for the host \(([^)]+)\)/g, 'host için DNS kaydı yok ($1)'],
  [/\bthe DNS lookup failed\b/g, 'DNS sorgusu başarısız oldu'],
  [
    /Check that the service is running and listening at this address, or raise `wait` if it is still starting\./g,
    'Servisin çalıştığını ve bu adreste dinlediğini kontrol edin; hâlâ başlıyorsa `wait` değerini artırın.',
  ],
  [
    /It was redirected \((\d+)\) to (\S+); (\S+) is another origin than (\S+)\.(?= |$)/g,
    '$2 adresine yönlendirildi ($1); $3, $4 ile aynı origin değil.',
  ],
  [/Check the host name in (`[^`]+`) and the DNS records\./g, '$1 içindeki host adını ve DNS kayıtlarını kontrol edin.'],
  [/ gave no complete answer within (\S+?)(?=[:.](?:\s|$))/g, ' $1 içinde tam yanıt vermedi'],
  [/: HTTP (\d+) headers arrived but the body did not finish\./g, ': HTTP $1 başlıkları geldi ama gövde tamamlanmadı.'],
  [
    /Check that the service is up and not overloaded, or raise `timeout` if it is slow by design\./g,
    'Servisin ayakta ve aşırı yüklü olmadığını kontrol edin; tasarım gereği yavaşsa `timeout` değerini artırın.',
  ],
  [/ answered in (\d+(?:\.\d+)?m?s): /g, ' $1 içinde yanıt verdi: '],
  [
    /\bthe service reports (\S+), but (\d+) of (\d+) component checks? (?:is|are) not passing; /g,
    'servis $1 bildiriyor, ama $3 bileşen kontrolünün $2 tanesi geçmiyor; ',
  ],
  [/\bthe service reports (\w+)([.;]) /g, 'servis $1 bildiriyor$2 '],
  [/\bcomponent (\S+) is (\w+)\b/g, '$1 bileşeni $2'],
  [/Saw no pass within (\S+) \((\d+) probes?\)\./g, '$1 içinde pass görülmedi ($2 deneme).'],
  [
    /Fix what the service reports as failing, then run the gate again\./g,
    'Servisin başarısız bildirdiklerini düzeltin, sonra kontrolü yeniden çalıştırın.',
  ],
  [
    /\b(\d+) of (\d+) readiness checks? failed; (\S+) failed: reason withheld\./g,
    '$2 hazırlık kontrolünün $1 tanesi başarısız; $3 başarısız: sebep gizlendi.',
  ],
  [
    /\bHTTP (\d+), expected (\d+)\. Check the service's logs and dependencies, or widen `expect-status` if HTTP (\d+) is a healthy answer\./g,
    'HTTP $1, beklenen $2. Servisin loglarını ve bağımlılıklarını kontrol edin; HTTP $3 sağlıklı bir yanıtsa `expect-status` değerini genişletin.',
  ],
  [
    /\bexpected a JSON body for (`[^`]+`), got (\S+) \(("(?:[^"\\]|\\.)*"|empty)\)/g,
    (_, e: string, type: string, got: string) => `${e} için JSON gövde bekleniyordu, gelen: ${type} (${got === 'empty' ? 'boş' : got})`,
  ],
  [
    /Point `url` at the JSON health endpoint, or drop `expect` to judge by the status code alone\./g,
    '`url` değerini JSON sağlık endpoint’ine yöneltin ya da yalnızca durum koduna göre karar için `expect` girdisini kaldırın.',
  ],
  [/\bthe body is declared (\S+) but is not valid JSON \(/g, 'gövde $1 olarak bildirilmiş ama geçerli JSON değil ('],
  [/\bthe body is declared (\S+) but is empty\./g, 'gövde $1 olarak bildirilmiş ama boş.'],
  [
    /Check what the endpoint returns; a health endpoint answers valid JSON with a `status`\./g,
    'Endpoint’in ne döndürdüğünü kontrol edin; bir sağlık endpoint’i `status` içeren geçerli JSON ile yanıt verir.',
  ],
  [/\bthe body's status is null, not a recognised health status/g, 'gövdedeki status null, tanınan bir sağlık durumu değil'],
  [
    /\bthe body's status is an object \((.+?)\), not a recognised health status/g,
    'gövdedeki status bir nesne ($1), tanınan bir sağlık durumu değil',
  ],
  [/\bthe body's status ("[^"]*") is not a recognised health status/g, 'gövdedeki status $1 tanınan bir sağlık durumu değil'],
  [
    / \(expected (pass\/ok\/up, warn\/degraded, fail\/error\/down) \(IETF health check\) or (\S+) \(Spring Boot\)\)/g,
    ' (beklenen: $1 (IETF health check) veya $2 (Spring Boot))',
  ],
  [
    /Point `url` at a health endpoint, or assert the field you rely on with `expect` \(e\.g\. /g,
    '`url` değerini bir sağlık endpoint’ine yöneltin ya da güvendiğiniz alanı `expect` ile doğrulayın (örn. ',
  ],
  [/<the value it has when healthy>/g, '<sağlıklıyken aldığı değer>'],
  [
    / redirected to (\S+) \((\d+)\) instead of answering\. Set follow-redirects: true if that is expected, or point `url` at the final address\./g,
    ' yanıt vermek yerine $1 adresine yönlendirdi ($2). Bu bekleniyorsa follow-redirects: true ayarlayın ya da `url` değerini son adrese yöneltin.',
  ],
  [
    / answered HTTP (\d+) but the body exceeded (\S+ \S+) \(more than (\d+) bytes\); the rest was not downloaded\. Point `url` at a health endpoint, not a page or a download\./g,
    ' HTTP $1 yanıt verdi ama gövde $2 sınırını aştı ($3 bayttan fazla); kalanı indirilmedi. `url` değerini bir sayfaya veya indirmeye değil, bir sağlık endpoint’ine yöneltin.',
  ],
  [
    / led through more than (\d+) redirects \(the last to (\S+)\), so the probe gave up\. It was redirected (\d+) times \(([\d, ]+)\) to (\S+?)\. Check the redirects the service and its proxies answer, or point `url` at the final address\./g,
    ' $1 yönlendirmeden fazlasına götürdü (sonuncusu $2), bu yüzden deneme bırakıldı. $3 kez yönlendirildi ($4): $5. Servisin ve proxy’lerinin verdiği yönlendirmeleri kontrol edin ya da `url` değerini son adrese yöneltin.',
  ],
  // window
  [
    /Evaluated at `as-of` (.+?), not now \((.+?)\): this says whether the cutover may run then, not whether it may run now\. Remove `as-of` for the cutover itself\./g,
    '`as-of` ile $1 için değerlendirildi, şimdi ($2) için değil: bu, cutover’ın o zaman çalışıp çalışamayacağını söyler, şimdi değil. Cutover’ın kendisi için `as-of` girdisini kaldırın.',
  ],
  [
    /Only (\S+) of the window remain \(it closes (.+?)\), less than the (\S+) the cutover needs \(`needs`\): do not start now\./g,
    'Pencerenin yalnızca $1 kaldı ($2 kapanıyor), cutover’ın ihtiyacı olan $3 süresinden az (`needs`): şimdi başlamayın.',
  ],
  [
    /Outside the maintenance window \((.+?)\): it is (.+?) UTC( and (\S+) is frozen \(`deny`\))?\./g,
    (_, w: string, now: string, frozen: string | undefined, span: string) =>
      `Bakım penceresi (${w}) dışında: şu an ${now} UTC${frozen ? ` ve ${span} donduruldu (\`deny\`)` : ''}.`,
  ],
  [
    /The next allowed window \((.+?)\) opens (.+?) UTC and lasts (\S+?)\./g,
    'İzin verilen bir sonraki pencere ($1) $2 UTC zamanında açılıyor ve $3 sürüyor.',
  ],
  [
    /No allowed window( of at least (\S+))? opens within two years of (.+?) UTC: check `allow` and `deny`\./g,
    (_, least: string | undefined, span: string, from: string) =>
      `${from} UTC sonrasındaki iki yıl içinde ${least ? `en az ${span} süren ` : ''}izin verilen bir pencere açılmıyor: \`allow\` ve \`deny\` girdilerini kontrol edin.`,
  ],
  [
    /The clock gave no valid time, so whether the window is open cannot be told\. Run the gate again\./g,
    'Saat geçerli bir zaman vermedi, pencerenin açık olup olmadığı söylenemez. Kontrolü yeniden çalıştırın.',
  ],
  // sql
  [/Could not connect to (\S+): /g, '$1 adresine bağlanılamadı: '],
  [
    /\bthe database does not exist \((.+?)\)\. Check the database name in `postgres-url`\./g,
    'veritabanı yok ($1). `postgres-url` içindeki veritabanı adını kontrol edin.',
  ],
  [
    /\bthe server refused the credentials \((.+?)\)\. Check the user name and password in `postgres-url` \(and the secret they come from\)\./g,
    'sunucu kimlik bilgilerini reddetti ($1). `postgres-url` içindeki kullanıcı adını ve parolayı (ve geldikleri secret’ı) kontrol edin.',
  ],
  [
    /\bconnection refused \(([^)]+)\)\. Check the host and port, and that the server accepts connections from the runner\./g,
    'bağlantı reddedildi ($1). Host ve portu, ve sunucunun runner’dan bağlantı kabul ettiğini kontrol edin.',
  ],
  [
    /\bno answer within (\S+) \(the `timeout`\)\. Check that the server is reachable from the runner \(firewall, security group\)\./g,
    '$1 içinde yanıt yok (`timeout`). Sunucunun runner’dan erişilebilir olduğunu kontrol edin (firewall, security group).',
  ],
  [
    /\bno DNS record for the host \(([^)]+)\)\. Check the host name in `postgres-url`\./g,
    'host için DNS kaydı yok ($1). `postgres-url` içindeki host adını kontrol edin.',
  ],
  [
    /`expect-rows` asks for no rows and `expect` for rows that satisfy (`[^`]+`): zero rows with `expect` is never a pass, so this can never pass\./g,
    '`expect-rows` hiç satır istemiyor, `expect` ise $1 koşulunu sağlayan satırlar istiyor: `expect` ile sıfır satır asla pass değildir, yani bu asla geçemez.',
  ],
  [
    /give `expect-rows`, `expect` or both: without them nothing about the answer is checked\./g,
    '`expect-rows`, `expect` veya ikisini verin: onlar olmadan yanıtla ilgili hiçbir şey kontrol edilmez.',
  ],
  [/\b(\d+) of (\d+) rows? from (\S+) do not satisfy (`[^`]+`): /g, '$3 kaynağından gelen $2 satırın $1 tanesi $4 koşulunu sağlamıyor: '],
  [/\brow (\d+) \((.+?)\): (\S+) is (\S+), expected (\S+?)\./g, '$1. satır ($2): $3 değeri $4, beklenen $5.'],
  [/The query failed on (\S+): (.+) \(SQLSTATE (\w+)\)\./g, 'Sorgu $1 üzerinde başarısız oldu: $2 (SQLSTATE $3).'],
  [
    /The query holds more than one statement \(SQLSTATE (\w+)\); the sql gate runs exactly one \(so none can end the read-only transaction\): give one statement, or one gate per statement\./g,
    'Sorgu birden fazla ifade içeriyor (SQLSTATE $1); sql kontrolü tam olarak bir tane çalıştırır (böylece hiçbiri salt okunur transaction’ı bitiremez): tek bir ifade verin ya da her ifade için bir kontrol.',
  ],
  [/The query on (\S+) returned (\d+) rows?, expected no rows: /g, '$1 üzerindeki sorgu $2 satır döndürdü, beklenen: hiç satır yok: '],
  [/\brow (\d+) \((.+?)\)\./g, '$1. satır ($2).'],
  [
    /The query on (\S+) returned (\d+) rows?, expected at least (\d+) rows?\./g,
    '$1 üzerindeki sorgu $2 satır döndürdü, beklenen: en az $3 satır.',
  ],
  [/The query on (\S+) returned (\d+) rows?, expected (.+?)\./g, '$1 üzerindeki sorgu $2 satır döndürdü, beklenen: $3.'],
  [
    /The query on (\S+) returned no rows, so (`[^`]+`) was checked on nothing: zero rows with `expect` is never a pass\. Check the query, and the database it runs on\./g,
    '$1 üzerindeki sorgu hiç satır döndürmedi, yani $2 hiçbir şey üzerinde kontrol edilmedi: `expect` ile sıfır satır asla pass değildir. Sorguyu ve çalıştığı veritabanını kontrol edin.',
  ],
  [
    /The query ran longer than (\S+) \(the `timeout`\) and the server cancelled it \(SQLSTATE (\w+)\)\. Make the query cheaper, or raise `timeout` if it is slow by design\./g,
    'Sorgu $1 süresinden (`timeout`) uzun sürdü ve sunucu onu iptal etti (SQLSTATE $2). Sorguyu hafifletin ya da tasarım gereği yavaşsa `timeout` değerini artırın.',
  ],
  [
    /The query tried to write: (.+?) \(SQLSTATE (\w+)\)\. The statement ran in a READ ONLY transaction that was rolled back, so nothing was changed; the sql gate only reads, so give a SELECT\./g,
    'Sorgu yazmaya çalıştı: $1 (SQLSTATE $2). İfade geri alınan bir READ ONLY transaction içinde çalıştı, yani hiçbir şey değişmedi; sql kontrolü yalnızca okur, bir SELECT verin.',
  ],
  [
    /The statement is an? (\S+) command, not a query: it returned no result set from (\S+), so there are no rows to judge\. Give a SELECT \(or a function call that returns a table\)\./g,
    'İfade bir sorgu değil, bir $1 komutu: $2 kaynağından sonuç kümesi dönmedi, yani değerlendirilecek satır yok. Bir SELECT verin (veya tablo döndüren bir fonksiyon çağrısı).',
  ],
  [
    /(`[^`]+`) cannot be checked on the answer from (\S+): the answer has no column (`[^`]+`) \(its columns are (.+?)\)\./g,
    '$1, $2 yanıtında kontrol edilemez: yanıtta $3 sütunu yok (sütunları: $4).',
  ],
  // command
  [
    /No line of the output matches `verdict` \((`[^`]+`)\), so the script gave no verdict\./g,
    'Çıktının hiçbir satırı `verdict` ($1) ile eşleşmiyor, yani betik bir sonuç vermedi.',
  ],
  [/\bIt printed nothing\./g, 'Hiçbir şey yazdırmadı.'],
  [/\bLast output line: /g, 'Çıktının son satırı: '],
  [
    /Check that the script prints its verdict line, or correct `verdict`\./g,
    'Betiğin sonuç satırını yazdırdığını kontrol edin ya da `verdict` girdisini düzeltin.',
  ],
  [
    /The last verdict line \(line (\d+): ("[^"]*")\) says ("[^"]*"), which is not PASS, WARN or FAIL\./g,
    'Son sonuç satırı ($1. satır: $2) $3 diyor; bu PASS, WARN veya FAIL değil.',
  ],
  [/The result file (\S+) cannot be used: /g, '$1 sonuç dosyası kullanılamaz: '],
  [/\bit is a named pipe \(FIFO\), not a regular file\./g, 'adlandırılmış bir pipe (FIFO), normal bir dosya değil.'],
  [/\bit is empty, not JSON\./g, 'boş, JSON değil.'],
  [/\bit is not UTF-8 text\./g, 'UTF-8 metin değil.'],
  [/\bit is not valid JSON \(at character (\d+)\)\./g, 'geçerli JSON değil ($1. karakterde).'],
  [
    /\bit is the file that was there before the script ran: the script did not write it\./g,
    'betik çalışmadan önce orada olan dosya: betik onu yazmadı.',
  ],
  [/\bthe script did not write it \(it does not exist\)\./g, 'betik onu yazmadı (dosya yok).'],
  [/\bIts SHA-256 is ([0-9a-f]+)\./g, 'SHA-256 değeri $1.'],
  [/The script must write it as JSON on every run\./g, 'Betik onu her çalıştırmada JSON olarak yazmalı.'],
  [
    /The script could not be started: (`[^`]+`) is not on PATH\. Nothing ran\./g,
    'Betik başlatılamadı: $1 PATH üzerinde değil. Hiçbir şey çalışmadı.',
  ],
  [
    /The script could not be started: its working directory (\S+) does not exist\. Nothing ran\./g,
    'Betik başlatılamadı: çalışma klasörü $1 yok. Hiçbir şey çalışmadı.',
  ],
  [
    /The script exited (\d+) after (\S+); `exit-codes` maps \1 to (pass|warn|fail)\./g,
    'Betik $2 sonra $1 koduyla çıktı; `exit-codes` $1 kodunu $3 ile eşliyor.',
  ],
  [
    /The script exited (\d+) after (\S+); `exit-codes` \(([^)]+)\) does not map \1, so it is a fail\./g,
    'Betik $2 sonra $1 koduyla çıktı; `exit-codes` ($3) $1 kodunu eşlemiyor, yani bu bir fail.',
  ],
  [
    /The script was killed by (\w+) after (\S+), not by the gate: a script ended by a signal gave no verdict, so it is a fail\./g,
    'Betik $2 sonra kontrol tarafından değil, $1 ile sonlandırıldı: sinyalle biten bir betik sonuç vermemiştir, yani bu bir fail.',
  ],
  [
    /The script was still running after (\S+) \(the `timeout`\) and was killed with its whole process group\./g,
    'Betik $1 sonra (`timeout`) hâlâ çalışıyordu ve tüm süreç grubuyla birlikte sonlandırıldı.',
  ],
  [
    /Find why it hangs, or raise `timeout` if it needs longer\./g,
    'Neden takıldığını bulun ya da daha uzun sürmesi gerekiyorsa `timeout` değerini artırın.',
  ],
  // smoke
  [/Step (`[^`]+`) failed: (\S+) (\S+) /g, '$1 adımı başarısız: $2 $3 '],
  [/(`[^`]+`) is ("(?:[^"\\]|\\.)*"), expected ("(?:[^"\\]|\\.)*")/g, '$1 değeri $2, beklenen $3'],
  [
    /\bcapture (`[^`]+`): (`[^`]+`) is (empty|null)/g,
    (_, c: string, f: string, v: string) => `yakalama ${c}: ${f} ${v === 'empty' ? 'boş' : 'null'}`,
  ],
  [/\bcapture (`[^`]+`) needs a JSON answer, and this one is not JSON/g, 'yakalama $1 JSON yanıt gerektiriyor, bu yanıt JSON değil'],
  [/; the answer was HTTP (\d+) with an empty body\./g, '; yanıt boş gövdeli HTTP $1 idi.'],
  [/; the answer was HTTP (\d+): /g, '; yanıt HTTP $1 idi: '],
  [/\banswered HTTP (\d+) but the body did not finish within (\S+?)\./g, 'HTTP $1 yanıt verdi ama gövde $2 içinde tamamlanmadı.'],
  [
    /\banswered HTTP (\d+) with a body over (\S+ \S+); the rest was not read\./g,
    'HTTP $1 yanıt verdi, gövde $2 üzerinde; kalanı okunmadı.',
  ],
  [/\banswered HTTP (\d+), expected ([\d-]+)/g, 'HTTP $1 yanıt verdi, beklenen $2'],
  [/\bgave no answer within (\S+?)\./g, '$1 içinde yanıt vermedi.'],
  [
    /\bwas redirected \((\d+)\) to (\S+), which is not http or https; it was not followed\./g,
    '$2 adresine yönlendirildi ($1); bu http veya https değil, izlenmedi.',
  ],
  [
    /\bled through more than (\d+) redirects, so it was given up \(redirected (\d+) times to (\S+)\)\./g,
    '$1 yönlendirmeden fazlasına götürdü, bu yüzden bırakıldı ($2 kez $3 adresine yönlendirildi).',
  ],
  [
    /\ba YAML list of steps, each a mapping with `name`, `url` and optionally ((?:`[^`]+`, )*`[^`]+`) and (`[^`]+`)/g,
    'adımlardan oluşan bir YAML listesi, her biri `name`, `url` ve isteğe bağlı olarak $1 ve $2 içeren bir mapping',
  ],
  [/\(it is not a list of steps\)/g, '(bu bir adım listesi değil)'],
  [/\(step (`[^`]+`): /g, '($1 adımı: '],
  [/(`[^`]+`) must be http:\/\/ or https:\/\//g, '$1 http:// veya https:// olmalı'],
  [/(`[^`]+`) uses (\{\{\w+\}\}), which no earlier step captures/g, '$1, önceki hiçbir adımın yakalamadığı $2 kullanıyor'],
  [/(`[^`]+`) must be /g, '$1 şu olmalı: '],
  [
    /Check the host and port, and that the server accepts connections from the runner\./g,
    'Host ve portu, ve sunucunun runner’dan bağlantı kabul ettiğini kontrol edin.',
  ],
  [/Check the host name in (`[^`]+`)\./g, '$1 içindeki host adını kontrol edin.'],
  // The short fields of the checks above (observed, expected, name): each a whole value, or a part set off by commas.
  ...(
    [
      ['inputs', 'girdiler'],
      ['valid inputs', 'geçerli girdiler'],
      ['invalid input', 'geçersiz girdi'],
      ['an error', 'bir hata'],
      ['a measurement', 'bir ölçüm'],
      ['connection refused', 'bağlantı reddedildi'],
      ['evaluated now', 'şimdi değerlendirildi'],
      ['the current time', 'şu anki zaman'],
      ['no valid time', 'geçerli zaman yok'],
      ['outside every window', 'tüm pencerelerin dışında'],
      ['window', 'pencere'],
      ['rows', 'satırlar'],
      ['query', 'sorgu'],
      ['connect failed', 'bağlantı başarısız'],
      ['unreadable answer', 'okunamayan yanıt'],
      ['a query that returns rows and columns', 'satır ve sütun döndüren bir sorgu'],
      ['an answer to the statement', 'ifadeye bir yanıt'],
      ['no rows', 'hiç satır yok'],
      ['empty', 'boş'],
      ['missing', 'yok'],
      ['not JSON', 'JSON değil'],
      ['no verdict line', 'sonuç satırı yok'],
      ['not written by this run', 'bu çalıştırma yazmadı'],
      ['a named pipe (FIFO)', 'adlandırılmış pipe (FIFO)'],
      ['step', 'adım'],
      ['verdict', 'sonuç'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en.replace(/[()]/g, '\\$&')}$`), tr]),
  [/^connect failed \((\w+)\)$/, 'bağlantı başarısız ($1)'],
  [/^query failed \((\w+)\)$/, 'sorgu başarısız ($1)'],
  [/^no result set \((\w+)\)$/, 'sonuç kümesi yok ($1)'],
  [/^(\d+) rows?$/, '$1 satır'],
  [/^(\d+) of (\d+) rows? fail$/, '$2 satırın $1 tanesi başarısız'],
  [/^at least (\d+) rows$/, 'en az $1 satır'],
  [/^every row has (\S+) \(at least (\d+) rows?\)$/, 'her satırda $1 (en az $2 satır)'],
  [/^at least (\S+) left$/, 'en az $1 kalmalı'],
  [/^(\S+) left$/, '$1 kaldı'],
  [/^inside (.+)$/, '$1 içinde'],
  [/^evaluated at (\S+)$/, '$1 için değerlendirildi'],
  [/^frozen by (\S+)$/, '$1 ile donduruldu'],
  [/^exit (\d+)$/, 'çıkış $1'],
  [/^killed by (\w+)$/, '$1 ile sonlandırıldı'],
  [/^not started \((\w+)\)$/, 'başlatılamadı ($1)'],
  [/^says (\S+)$/, '$1 diyor'],
  [/^still running after (\S+)$/, '$1 sonra hâlâ çalışıyor'],
  [/^no complete answer within (\S+)$/, '$1 içinde tam yanıt yok'],
  [
    /^(no DNS record for the host|redirect loop); final URL (\S+)$/,
    (_, why: string, url: string) => `${why === 'redirect loop' ? 'yönlendirme döngüsü' : 'host için DNS kaydı yok'}; son URL ${url}`,
  ],
  [/^no DNS record for the host, /, 'host için DNS kaydı yok, '],
  [/^connection refused, /, 'bağlantı reddedildi, '],
  [/^timeout, /, 'zaman aşımı, '],
  [/^HTTP (\d+) to (\S+), /, 'HTTP $1, $2 adresine, '],
  [/, body exceeded (\S+ \S+), /, ', gövde $1 sınırını aştı, '],
  [/, empty body, /, ', boş gövde, '],
  [/, not JSON, /, ', JSON değil, '],
  [/, components (fail|warn), /, ', bileşenler $1, '],
  [/, k8s verbose failed, /, ', k8s verbose başarısız, '],
  [/; captures (\w+) \((\w+)\)$/, '; $1 yakalanır ($2)'],
  // evidence
  [
    /A `signature` was given but neither `public-key` nor `hmac-key` \(an empty input, such as an unset secret, counts as not given\): the signature cannot be checked\. Give the key that signed the manifest\./g,
    'Bir `signature` verildi ama ne `public-key` ne de `hmac-key` verildi (ayarlanmamış bir secret gibi boş bir girdi verilmemiş sayılır): imza kontrol edilemez. Manifest’i imzalayan anahtarı verin.',
  ],
  [
    /give `public-key` or `hmac-key`, not both: the manifest has one signature\./g,
    '`public-key` veya `hmac-key` verin, ikisini birden değil: manifest’in tek bir imzası var.',
  ],
  [
    /Manifest line (\d+) lists (\S+), which climbs out with `\.\.`; paths must stay inside the evidence folder: the entry cannot be verified, so the manifest is not trusted\. Fix the manifest \(re-seal with (`[^`]+`)\)\./g,
    'Manifest’in $1. satırı `..` ile dışarı çıkan $2 yolunu listeliyor; yollar kanıt klasörünün içinde kalmalı: kayıt doğrulanamaz, yani manifest’e güvenilmez. Manifest’i düzeltin ($3 ile yeniden mühürleyin).',
  ],
  [
    /No manifest at (\S+): seal the folder with (`[^`]+`) \(or (`[^`]+`)\), or set `manifest` \(now ("[^"]*"), relative to `path`\)\./g,
    '$1 konumunda manifest yok: klasörü $2 (veya $3) ile mühürleyin ya da `manifest` ayarlayın (şu an $4, `path` klasörüne göre).',
  ],
  [
    /(\S+) is a file in the evidence folder that the manifest does not list \(extra-files: (warn|fail)\): re-seal to include it, or remove it\./g,
    '$1 kanıt klasöründe manifest’in listelemediği bir dosya (extra-files: $2): onu da içerecek şekilde yeniden mühürleyin ya da kaldırın.',
  ],
  [
    /The evidence folder (\S+) does not exist: check `path` \(relative to (\S+)\), or that the artifacts were downloaded before this step\./g,
    '$1 kanıt klasörü yok: `path` girdisini ($2 klasörüne göre) ya da artifact’lerin bu adımdan önce indirildiğini kontrol edin.',
  ],
  [
    /The ledger cannot be verified: no ledger at (\S+)\. Check `ledger` \(relative to (\S+)\)\./g,
    'Defter doğrulanamaz: $1 konumunda defter yok. `ledger` girdisini ($2 klasörüne göre) kontrol edin.',
  ],
  [
    /The ledger (\S+) was altered: line (\d+) is not JSON: it is not a ledger record\. Records cannot be trusted from line \2 on; compare with the report folder's archived copy\./g,
    '$1 defteri değiştirilmiş: $2. satır JSON değil: bir defter kaydı değil. $2. satırdan itibaren kayıtlara güvenilemez; rapor klasörünün arşivlenmiş kopyasıyla karşılaştırın.',
  ],
  [/The manifest (\S+) cannot be used: /g, '$1 manifest’i kullanılamaz: '],
  [
    /\bline (\d+) \(("[^"]*")\) is not a SHA-256 manifest line: expected (`[^`]+`) or (`[^`]+`)\./g,
    '$1. satır ($2) bir SHA-256 manifest satırı değil: beklenen $3 veya $4.',
  ],
  [/\bline (\d+) is not valid UTF-8 text\./g, '$1. satır geçerli UTF-8 metin değil.'],
  [/\bthe manifest is empty: it lists no files\./g, 'manifest boş: hiçbir dosya listelemiyor.'],
  [
    /Re-seal the folder, or restore the manifest that was sealed\./g,
    'Klasörü yeniden mühürleyin ya da mühürlenmiş manifest’i geri yükleyin.',
  ],
  [/The manifest (\S+) is a symbolic link: it must be a regular file\./g, '$1 manifest’i bir sembolik bağlantı: normal bir dosya olmalı.'],
  [
    /The manifest signature (\S+) (does not exist|is not a regular file) \(the default when `signature` is empty: `<manifest>\.sig`\): sign the manifest \((`[^`]+`)\) or set `signature`\./g,
    (_, f: string, why: string, cmd: string) =>
      `${f} manifest imzası ${why === 'does not exist' ? 'yok' : 'normal bir dosya değil'} (\`signature\` boşken varsayılan: \`<manifest>.sig\`): manifest’i imzalayın (${cmd}) ya da \`signature\` ayarlayın.`,
  ],
  [
    /The manifest signature (\S+) is empty \((\d+) bytes\): nothing signs the manifest\. Sign it again \((`[^`]+`) or (`[^`]+`)\), or restore the signature that was made\./g,
    '$1 manifest imzası boş ($2 bayt): manifest’i hiçbir şey imzalamıyor. Yeniden imzalayın ($3 veya $4) ya da yapılmış imzayı geri yükleyin.',
  ],
  [
    /The manifest's HMAC-SHA256 \((\S+)\) does not verify with `hmac-key`: the manifest or its signature was changed after sealing, or another key was used\./g,
    'Manifest’in HMAC-SHA256 değeri ($1) `hmac-key` ile doğrulanmıyor: manifest veya imzası mühürlemeden sonra değiştirildi ya da başka bir anahtar kullanıldı.',
  ],
  [
    /The manifest's signature \((\S+)\) does not verify with the (.+?) public key: the manifest or the signature was changed after signing, or another key signed it\./g,
    'Manifest’in imzası ($1) $2 açık anahtarıyla doğrulanmıyor: manifest veya imza imzalamadan sonra değiştirildi ya da başka bir anahtar imzaladı.',
  ],
  [
    /The manifest's signature \((\S+)\) does not verify with the (.+?) public key: it is a (.+?) signature by this key over other bytes: the manifest was changed after signing\./g,
    'Manifest’in imzası ($1) $2 açık anahtarıyla doğrulanmıyor: bu anahtarın başka baytlar üzerindeki bir $3 imzası: manifest imzalamadan sonra değiştirildi.',
  ],
  [
    /The manifest's signature \((\S+)\) was made with (.+?), which is not accepted: sign the manifest over (\S+), (\S+) or (\S+) \((`[^`]+`), or (`[^`]+`)\)\./g,
    'Manifest’in imzası ($1) kabul edilmeyen $2 ile yapılmış: manifest’i $3, $4 veya $5 üzerinden imzalayın ($6 ya da $7).',
  ],
  [
    /The signature (\S+) is not a hex HMAC-SHA256 \((\d+) lowercase hex digits, optionally one newline\): it was altered, or is another kind of signature\./g,
    '$1 imzası hex bir HMAC-SHA256 değil ($2 küçük harf hex rakam, isteğe bağlı tek bir satır sonu): değiştirilmiş ya da başka türde bir imza.',
  ],
  [
    /`public-key` holds a PRIVATE key; give the public key \((`[^`]+`)\) and keep the private key secret\./g,
    '`public-key` bir PRIVATE (özel) anahtar içeriyor; açık anahtarı verin ($1) ve özel anahtarı gizli tutun.',
  ],
  [
    /`public-key` holds key text \(not shown\) without a -----BEGIN \.\.\.----- line: give the whole PEM block, from its -----BEGIN \.\.\.----- line to its -----END \.\.\.----- line, or the path of the PEM file\./g,
    '`public-key` -----BEGIN ...----- satırı olmayan bir anahtar metni (gösterilmiyor) içeriyor: -----BEGIN ...----- satırından -----END ...----- satırına kadar tüm PEM bloğunu ya da PEM dosyasının yolunu verin.',
  ],
  [
    /`public-key` is an? (\w+) key; accepted are (.+?)\.$/g,
    (_, kind: string, list: string) => `\`public-key\` bir ${kind} anahtarı; kabul edilenler: ${joined(list)}.`,
  ],
  [
    /`public-key` is neither a PEM block nor a readable file \((\S+) does not exist\)\./g,
    '`public-key` ne bir PEM bloğu ne de okunabilir bir dosya ($1 yok).',
  ],
  [
    /`public-key` is not a PEM public key or certificate OpenSSL can read \(expected a (`[^`]+`) block\)\./g,
    '`public-key` OpenSSL’in okuyabildiği bir PEM açık anahtarı veya sertifikası değil (beklenen: bir $1 bloğu).',
  ],
  [
    /(\S+) does not match the manifest \(line (\d+)\): its SHA-256 is (\S+), the manifest says (\S+?)\. It was changed after sealing: restore it from the release, or re-seal if the change is intended\./g,
    '$1 manifest ile eşleşmiyor ($2. satır): SHA-256 değeri $3, manifest $4 diyor. Mühürlemeden sonra değiştirildi: release’ten geri yükleyin ya da değişiklik kasıtlıysa yeniden mühürleyin.',
  ],
  [/(\S+) is not a folder: `path` must name the evidence folder\./g, '$1 bir klasör değil: `path` kanıt klasörünü göstermeli.'],
  [
    /(\S+) lies beside the manifest as if it signed it, but this gate checks only (\S+) \(a PEM-key signature or an HMAC, with `public-key` or `hmac-key`\), so nothing checked it: sign the manifest that way \((`[^`]+`)\), or remove (\S+) if it is not its signature\./g,
    '$1 manifest’i imzalıyormuş gibi yanında duruyor, ama bu kontrol yalnızca $2 dosyasına bakar (`public-key` veya `hmac-key` ile bir PEM anahtar imzası ya da HMAC), yani onu hiçbir şey kontrol etmedi: manifest’i bu yolla imzalayın ($3) ya da onun imzası değilse $4 dosyasını kaldırın.',
  ],
  [
    /(\S+) lies beside the manifest, but neither `public-key` nor `hmac-key` was given \(an empty input, such as an unset secret, counts as not given\), so nothing checked it and the manifest cannot be trusted: set (`[^`]+`) \((the secret its HMAC-SHA256 was made with|the PEM public key of the signer)\) or (`[^`]+`)\./g,
    (_, f: string, a: string, why: string, b: string) =>
      `${f} manifest’in yanında duruyor, ama ne \`public-key\` ne de \`hmac-key\` verildi (ayarlanmamış bir secret gibi boş bir girdi verilmemiş sayılır), yani onu hiçbir şey kontrol etmedi ve manifest’e güvenilemez: ${a} (${why.startsWith('the secret') ? 'HMAC-SHA256 değerinin yapıldığı secret' : 'imzalayanın PEM açık anahtarı'}) veya ${b} ayarlayın.`,
  ],
  [
    /(\S+) \(manifest (?:line|satır) (\d+)\) is a symbolic link; evidence must be regular files: it is not verified\. Replace it with the regular file that was sealed\./g,
    '$1 (manifest $2. satır) bir sembolik bağlantı; kanıtlar normal dosya olmalı: doğrulanmadı. Onu mühürlenmiş normal dosyayla değiştirin.',
  ],
  [
    /(\S+) is listed in the manifest \(line (\d+)\) but does not exist in (\S+): restore it from the release, or re-seal if it was removed on purpose\./g,
    '$1 manifest’te listeleniyor ($2. satır) ama $3 içinde yok: release’ten geri yükleyin ya da bilerek kaldırıldıysa yeniden mühürleyin.',
  ],
  ...(
    [
      ['`public-key` or `hmac-key`', '`public-key` veya `hmac-key`'],
      ['a PEM public key', 'bir PEM açık anahtarı'],
      ['a SHA-256 manifest', 'bir SHA-256 manifest'],
      ['a folder', 'bir klasör'],
      ['a hex HMAC-SHA256', 'hex bir HMAC-SHA256'],
      ['a ledger file', 'bir defter dosyası'],
      ['a regular file', 'normal bir dosya'],
      ['a regular file inside the folder', 'klasör içinde normal bir dosya'],
      ['a safe path inside the folder', 'klasör içinde güvenli bir yol'],
      ['a signature checked with `public-key` or `hmac-key`', '`public-key` veya `hmac-key` ile kontrol edilmiş bir imza'],
      ['a symbolic link', 'bir sembolik bağlantı'],
      ['listed in the manifest', 'manifest’te listelenmiş'],
      ['no key', 'anahtar yok'],
      ['not 64 lowercase hex digits', '64 küçük harf hex rakam değil'],
      ['not a folder', 'klasör değil'],
      ['not checkable', 'kontrol edilemez'],
      ['not checked', 'kontrol edilmedi'],
      ['not in the manifest (a file)', 'manifest’te yok (bir dosya)'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en.replace(/[()]/g, '\\$&')}$`), tr]),
  [/^a (.+?) signature over (\S+), (\S+) or (\S+)$/, '$2, $3 veya $4 üzerinden bir $1 imzası'],
  [/^a valid (.+)$/, 'geçerli bir $1'],
  [
    /^a (manifest|signature) at (\S+)$/,
    (_, what: string, at: string) => `${at} konumunda bir ${what === 'manifest' ? 'manifest' : 'imza'}`,
  ],
  [/^chain broken at line (\d+)$/, 'zincir $1. satırda kırık'],
  // dr-drill
  [
    /(\d+) files? of (\S+) (?:is|are) lost in (\S+), above the RPO of (\d+) files?: /g,
    '$2 listesinden $1 dosya $3 içinde kayıp, $4 dosyalık RPO’nun üstünde: ',
  ],
  [/("[^"]*") is missing(?=[;.])/g, '$1 yok'],
  [
    /Back up more often or closer to the cutover, then drill again\./g,
    'Daha sık ya da cutover’a daha yakın yedek alın, sonra tatbikatı yeniden yapın.',
  ],
  [
    /nothing to drill: give at least one of (.+?)\.$/g,
    (_, list: string) =>
      `tatbik edilecek bir şey yok: şunlardan en az birini verin: ${joined(list.replace(/ \(with (`[^`]+`)\)/g, ' ($1 ile)'))}.`,
  ],
  [
    /Restoring (\S+) into a scratch database on PostgreSQL at (\S+) failed: /g,
    '$1, $2 üzerindeki PostgreSQL’de geçici bir veritabanına geri yüklenemedi: ',
  ],
  [
    /The dump may be corrupt, truncated, or from a newer pg_dump; see the pg_restore output in the report\./g,
    'Dump bozuk, kesik ya da daha yeni bir pg_dump’tan olabilir; rapordaki pg_restore çıktısına bakın.',
  ],
  [/\b(psql|pg_restore|pg_dump) exited (\d+) after (\S+?): /g, '$1, $3 sonra $2 koduyla çıktı: '],
  [/\bpsql could not start: (`[^`]+`) is not on PATH\./g, 'psql başlatılamadı: $1 PATH üzerinde değil.'],
  [/The WAL archiver of PostgreSQL at (\S+) could not be read: /g, '$1 üzerindeki PostgreSQL’in WAL arşivleyicisi okunamadı: '],
  [
    /Check `postgres-url`, the network path and the credentials\./g,
    '`postgres-url` girdisini, ağ yolunu ve kimlik bilgilerini kontrol edin.',
  ],
  [
    /The backup folder (\S+) could not be read: it does not exist\. Check `backup-path` and that the runner can read the backups\./g,
    '$1 yedek klasörü okunamadı: klasör yok. `backup-path` girdisini ve runner’ın yedekleri okuyabildiğini kontrol edin.',
  ],
  [
    /The default check \(at least one table restored; give `verify-sql` to check the data\) failed in the restored database: /g,
    'Varsayılan kontrol (en az bir tablo geri yüklendi; veriyi kontrol etmek için `verify-sql` verin) geri yüklenen veritabanında başarısız: ',
  ],
  [/`verify-sql` failed in the restored database: /g, '`verify-sql` geri yüklenen veritabanında başarısız: '],
  [/`verify-sql` could not run in the restored database: /g, '`verify-sql` geri yüklenen veritabanında çalışamadı: '],
  [/\bits first value is (\S+?)\./g, 'ilk değeri $1.'],
  [/\bit returned no rows \(column (\S+?)\)\./g, 'hiç satır döndürmedi (sütun $1).'],
  [
    /The dump restored, but not the data the check expects: is the backup older than expected, or from the wrong database\?/g,
    'Dump geri yüklendi, ama kontrolün beklediği veri değil: yedek beklenenden eski mi, ya da yanlış veritabanından mı?',
  ],
  [
    /The dump (\S+) cannot be restored: it does not exist\. Point `postgres-dump` at a (`[^`]+`) file\./g,
    '$1 dump’ı geri yüklenemez: dosya yok. `postgres-dump` girdisini bir $2 dosyasına yöneltin.',
  ],
  [
    /The newest backup (\S+) is empty \((\d+) bytes, written (\S+)\), so nothing could be restored from it: the last backup run likely failed\. Check the backup job's log and take a fresh backup\./g,
    'En yeni yedek $1 boş ($2 bayt, yazılma: $3), yani ondan hiçbir şey geri yüklenemez: son yedekleme muhtemelen başarısız oldu. Yedekleme işinin logunu kontrol edin ve yeni bir yedek alın.',
  ],
  [
    /The newest backup (\S+) is dated (\S+) in the future \((\S+)\), so its age cannot be trusted: check the clocks of the backup host and the runner\./g,
    'En yeni yedek $1 $2 ileri tarihli ($3), yani yaşına güvenilemez: yedek sunucusunun ve runner’ın saatlerini kontrol edin.',
  ],
  [/The restore could not start: (`[^`]+`) is not on PATH\./g, 'Geri yükleme başlatılamadı: $1 PATH üzerinde değil.'],
  [/The restore could not start: its working folder (\S+) does not exist\./g, 'Geri yükleme başlatılamadı: çalışma klasörü $1 yok.'],
  [
    /Read the output tail in the report, fix the restore and run the drill again\./g,
    'Rapordaki çıktının sonunu okuyun, geri yüklemeyi düzeltin ve tatbikatı yeniden çalıştırın.',
  ],
  [
    /The restore exited (\d+) after (\S+), but nothing checked what it restored: an exit code proves the script ran, not that the data came back\. Give `verify-command` \(a script that checks the restored system\), or `source-manifest` with `restored-path` \(the restored files compared with their SHA-256 sums\); for a PostgreSQL dump, restore it with `postgres-dump` and check it with `verify-sql`\./g,
    'Geri yükleme $2 sonra $1 koduyla çıktı, ama geri yüklediğini hiçbir şey kontrol etmedi: çıkış kodu betiğin çalıştığını kanıtlar, verinin geri geldiğini değil. `verify-command` (geri yüklenen sistemi kontrol eden bir betik) ya da `restored-path` ile `source-manifest` (geri yüklenen dosyalar SHA-256 toplamlarıyla karşılaştırılır) verin; bir PostgreSQL dump’ı için onu `postgres-dump` ile geri yükleyin ve `verify-sql` ile kontrol edin.',
  ],
  [/The restore exited (\d+) after (\S+?): /g, 'Geri yükleme $2 sonra $1 koduyla çıktı: '],
  [/The restore killed by (\w+) after (\S+?)\./g, 'Geri yükleme $2 sonra $1 ile sonlandırıldı.'],
  [
    /The restore was cancelled, and killed with its process group\./g,
    'Geri yükleme iptal edildi ve süreç grubuyla birlikte sonlandırıldı.',
  ],
  [
    /The restore was still running after (\S+) \(the timeout\) and was killed with its process group\. The RTO of (\S+) was missed\./g,
    'Geri yükleme $1 sonra (zaman aşımı) hâlâ çalışıyordu ve süreç grubuyla birlikte sonlandırıldı. $2 RTO kaçırıldı.',
  ],
  [
    /The restored folder (\S+) cannot be compared with (\S+): (a part of the path is not a folder|it does not exist)\. The restore did not produce it; check `restored-path` and the restore's output\./g,
    (_, f: string, m: string, why: string) =>
      `Geri yüklenen ${f} klasörü ${m} ile karşılaştırılamaz: ${why === 'it does not exist' ? 'klasör yok' : 'yolun bir parçası klasör değil'}. Geri yükleme onu üretmedi; \`restored-path\` girdisini ve geri yüklemenin çıktısını kontrol edin.`,
  ],
  [
    /The scratch database (\S+) could not be created on PostgreSQL at (\S+?): /g,
    '$1 geçici veritabanı $2 üzerindeki PostgreSQL’de oluşturulamadı: ',
  ],
  [
    /The role in `postgres-url` needs CREATEDB \(or point it at a drill server where it has it\)\./g,
    '`postgres-url` içindeki rolün CREATEDB yetkisi olmalı (ya da onu bu yetkinin olduğu bir tatbikat sunucusuna yöneltin).',
  ],
  [
    /The scratch database (\S+) on PostgreSQL at (\S+) could not be dropped: /g,
    '$2 üzerindeki PostgreSQL’de $1 geçici veritabanı silinemedi: ',
  ],
  [/Drop it by hand: /g, 'Elle silin: '],
  [/The source manifest (\S+) could not be used: /g, '$1 kaynak manifest’i kullanılamadı: '],
  [/: it does not exist\. (?=Write it)/g, ': dosya yok. '],
  [
    /Write it with (`[^`]+`) over the source data \(paths relative to the folder\)\./g,
    'Onu kaynak veri üzerinde $1 ile yazın (yollar klasöre göre).',
  ],
  [
    /Verification of the restored system (exited (\d+) after (\S+?)|was still running after (\S+) \(the timeout\) and was killed with its process group)([:.]) /g,
    (_, _w: string, code: string, after: string, still: string, end: string) =>
      `Geri yüklenen sistemin doğrulaması ${still ? `${still} sonra (zaman aşımı) hâlâ çalışıyordu ve süreç grubuyla birlikte sonlandırıldı` : `${after} sonra ${code} koduyla çıktı`}${end} `,
  ],
  [
    /The restore ran but what it restored is not proven good; read the output tail in the report\./g,
    'Geri yükleme çalıştı ama geri yüklediğinin sağlam olduğu kanıtlanmadı; rapordaki çıktının sonunu okuyun.',
  ],
  [
    /(\S+) holds no backup file, so nothing could be restored: take a backup there, or point `backup-path` at where backups are written\./g,
    '$1 içinde yedek dosyası yok, yani hiçbir şey geri yüklenemez: oraya bir yedek alın ya da `backup-path` girdisini yedeklerin yazıldığı yere yöneltin.',
  ],
  [/\((\d+) missing\)/g, '($1 eksik)'],
  ...(
    [
      ['a true or non-empty result', 'doğru veya boş olmayan bir sonuç'],
      ['no backup file', 'yedek dosyası yok'],
      ['no usable manifest', 'kullanılabilir manifest yok'],
      ['not dropped', 'silinmedi'],
      ['not measured', 'ölçülmedi'],
      ['nothing verified the restore', 'geri yüklemeyi hiçbir şey doğrulamadı'],
      ['scratch database not created', 'geçici veritabanı oluşturulmadı'],
      [
        'the restored data checked by `verify-command` or `source-manifest` + `restored-path`',
        'geri yüklenen veri `verify-command` veya `source-manifest` + `restored-path` ile kontrol edilmiş',
      ],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en.replace(/[()+]/g, '\\$&')}$`), tr]),
  [/^at most (\d+) files? unarchived$/, 'en fazla $1 arşivlenmemiş dosya'],
  [/^(\S+): dated (\S+) in the future$/, '$1: $2 ileri tarihli'],
  [/^could not be started \((\w+)\) after (\S+)$/, '$2 sonra başlatılamadı ($1)'],
  [
    /^(dump|restored folder) unusable \((it does not exist|a part of the path is not a folder)\)$/,
    (_, what: string, why: string) =>
      `${what === 'dump' ? 'dump' : 'geri yüklenen klasör'} kullanılamaz (${why === 'it does not exist' ? 'yok' : 'yolun bir parçası klasör değil'})`,
  ],
  [/^unreadable \(it does not exist\)$/, 'okunamaz (yok)'],
  [/^killed by (\w+) after (\S+)$/, '$2 sonra $1 ile sonlandırıldı'],
  [/^newest backup at most (\S+) old$/, 'en yeni yedek en fazla $1 eski'],
  [/^not run after (\S+)$/, '$1 sonra çalıştırılmadı'],
  [/^pg_restore succeeds within (\S+)$/, 'pg_restore $1 içinde başarılı'],
  // key-rotation
  [/(\S+) could not be checked: /g, '$1 kontrol edilemedi: '],
  [
    /\bthe TLS handshake failed: (.+?) Check that this port serves TLS \(not plain HTTP\) and shares a protocol version and cipher with a current client\./g,
    'TLS el sıkışması başarısız: $1 Bu portun TLS sunduğunu (düz HTTP değil) ve güncel bir istemciyle ortak bir protokol sürümü ve şifre paylaştığını kontrol edin.',
  ],
  [
    /\bthe connection was reset during the handshake \((\w+)\)\. Check that the port speaks TLS, and any proxy or load balancer in front of it\./g,
    'el sıkışma sırasında bağlantı sıfırlandı ($1). Portun TLS konuştuğunu ve önündeki proxy veya load balancer’ı kontrol edin.',
  ],
  [
    /\bno TLS handshake within (\S+?)\. Check that the service is up and reachable from the runner \(a firewall that drops packets looks like this\), or raise `timeout`\./g,
    '$1 içinde TLS el sıkışması yok. Servisin ayakta ve runner’dan erişilebilir olduğunu kontrol edin (paketleri düşüren bir firewall böyle görünür) ya da `timeout` değerini artırın.',
  ],
  [/Check that the service is running and listening on this port\./g, 'Servisin çalıştığını ve bu portta dinlediğini kontrol edin.'],
  [
    /nothing to check: give at least one of (.+?)\.$/g,
    (_, list: string) => `kontrol edilecek bir şey yok: şunlardan en az birini verin: ${joined(list)}.`,
  ],
  [
    / completed a (\S+) handshake, but the chain does not lead to a trusted root: (\w+)\. If the endpoint uses a private CA, give its root in `trusted-ca`; otherwise serve the full chain \(leaf and intermediates\) from a public CA\./g,
    ' $1 el sıkışmasını tamamladı, ama zincir güvenilen bir köke varmıyor: $2. Endpoint özel bir CA kullanıyorsa kökünü `trusted-ca` içinde verin; yoksa tüm zinciri (leaf ve ara sertifikalar) açık bir CA’dan sunun.',
  ],
  [/ via (\S+) \(SNI (\S+)\)/g, ' ($1 üzerinden, SNI $2)'],
  [/^(\S+), chain of (\d+), not trusted \((\w+)\)$/, '$1, $2 sertifikalık zincir, güvenilmiyor ($3)'],
  [
    /The (`[^`]+`) pattern (\S+) matched (no file|only a folder|only something that is not a regular file \(a pipe, socket or device\)) under (\S+?)\. Check the path \(relative to the workspace\) and that the files are checked out or downloaded before this step\./g,
    (_, input: string, pat: string, what: string, dir: string) =>
      `${input} deseni ${pat}, ${dir} altında ${what === 'no file' ? 'hiçbir dosyayla eşleşmedi' : what === 'only a folder' ? 'yalnızca bir klasörle eşleşti' : 'yalnızca normal dosya olmayan bir şeyle (pipe, soket veya aygıt) eşleşti'}. Yolu (workspace’e göre) ve dosyaların bu adımdan önce checkout edildiğini veya indirildiğini kontrol edin.`,
  ],
  [
    /The repository secrets cannot be listed: no GitHub token and repository are known\. In a workflow give `github-token` a fine-grained personal access token or GitHub App token with the repository permission 'Secrets: read' \(the default GITHUB_TOKEN cannot list secrets\); from the CLI set GITHUB_TOKEN and GITHUB_REPOSITORY\./g,
    "Depo secret’ları listelenemez: bilinen bir GitHub token’ı ve depo yok. Bir workflow’da `github-token` girdisine depo izni 'Secrets: read' olan fine-grained bir personal access token veya GitHub App token verin (varsayılan GITHUB_TOKEN secret listeleyemez); CLI’dan GITHUB_TOKEN ve GITHUB_REPOSITORY ayarlayın.",
  ],
  [
    / line (\d+): no -----BEGIN CERTIFICATE----- line: not a PEM file \(a DER certificate converts with (`[^`]+`)\)\./g,
    ' $1. satır: -----BEGIN CERTIFICATE----- satırı yok: PEM dosyası değil (DER sertifika $2 ile dönüştürülür).',
  ],
  [/Give the CA certificate\(s\) in PEM\./g, 'CA sertifikalarını PEM olarak verin.'],
  [
    / line (\d+): the (\w+) block is not a valid X\.509 certificate \((\w+)\)\./g,
    ' $1. satır: $2 bloğu geçerli bir X.509 sertifikası değil ($3).',
  ],
  [/ line (\d+): no CERTIFICATE block, only (PRIVATE KEY|[A-Z ]+)\./g, ' $1. satır: CERTIFICATE bloğu yok, yalnızca $2.'],
  [
    /Replace the file with the PEM certificate\(s\) it should hold \((openssl x509 -in \S+ -noout -text) shows what openssl reads\)\./g,
    'Dosyayı içermesi gereken PEM sertifikalarıyla değiştirin ($1 openssl’in ne okuduğunu gösterir).',
  ],
  [/ line (\d+): holds an empty list: no key to check\./g, ' $1. satır: boş bir liste içeriyor: kontrol edilecek anahtar yok.'],
  [
    / line (\d+): key ("[^"]*") has no expiry: give `expires`, or `created` with `max-age`, or `rotated` with `rotate-every`\./g,
    ' $1. satır: $2 anahtarının sona erme tarihi yok: `expires`, ya da `max-age` ile `created`, ya da `rotate-every` ile `rotated` verin.',
  ],
  [/ line (\d+): item (\d+): (`[^`]+`) has no value\./g, ' $1. satır: $2. öğe: $3 değeri yok.'],
  [
    / line (\d+): key ("[^"]*") \(item (\d+)\) gives (`[^`]+`) twice: as (`[^`]+`) \(line (\d+)\) and as (`[^`]+`) \(line (\d+)\)\. Keep one, spelled (`[^`]+`)\./g,
    ' $1. satır: $2 anahtarı ($3. öğe) $4 değerini iki kez veriyor: $5 olarak ($6. satır) ve $7 olarak ($8. satır). Birini, $9 yazımıyla tutun.',
  ],
  [
    /Each key takes only (.+?); keep notes in YAML comments \(# \.\.\.\)\./g,
    (_, list: string) => `Her anahtar yalnızca şunları alır: ${joined(list)}; notları YAML yorumlarında tutun (# ...).`,
  ],
  [
    / line (\d+): (is empty|does not hold a list); expected a YAML or JSON list of keys, each with `name` and one of `expires`, `created` \+ `max-age`, or `rotated` \+ `rotate-every`, and optionally `owner`\./g,
    (_, line: string, why: string) =>
      ` ${line}. satır: ${why === 'is empty' ? 'boş' : 'bir liste içermiyor'}; beklenen: anahtarlardan oluşan bir YAML veya JSON listesi, her birinde \`name\` ve \`expires\`, \`created\` + \`max-age\` veya \`rotated\` + \`rotate-every\` değerlerinden biri, isteğe bağlı olarak \`owner\`.`,
  ],
  [
    / line (\d+): key ("[^"]*"): (`[^`]+`) is ("[^"]*"); expected an ISO 8601 date or instant with a time zone, such as (\S+) \(midnight UTC\) or (\S+?)\./g,
    ' $1. satır: $2 anahtarı: $3 değeri $4; beklenen: saat dilimli bir ISO 8601 tarih veya zaman, örneğin $5 (UTC gece yarısı) veya $6.',
  ],
  [
    / line (\d+): key ("[^"]*"): (`[^`]+`) is (\S+), longer than (\S+) \((\d+) years\); give the rotation period, such as (\S+), or an `expires` date for a key that has one\./g,
    ' $1. satır: $2 anahtarı: $3 değeri $4, $5 süresinden ($6 yıl) uzun; rotasyon süresini verin, örneğin $7, ya da sona erme tarihi olan bir anahtar için bir `expires` tarihi.',
  ],
  [/ line (\d+): is not valid YAML or JSON: /g, ' $1. satır: geçerli YAML veya JSON değil: '],
  [/Fix the inventory and run the gate again\./g, 'Envanteri düzeltin ve kontrolü yeniden çalıştırın.'],
  [
    /^a completed TLS handshake and a trusted chain covering (\S+)$/,
    'tamamlanmış bir TLS el sıkışması ve $1 adresini kapsayan güvenilir bir zincir',
  ],
  [
    /^(invalid inventory|malformed PEM) at line (\d+)$/,
    (_, what: string, line: string) => `${line}. satırda ${what === 'invalid inventory' ? 'geçersiz envanter' : 'bozuk PEM'}`,
  ],
  [/^the secrets listed, each updated within (\S+)$/, 'listelenen secret’lar, her biri $1 içinde güncellenmiş'],
  ...(
    [
      ['a list of keys with expiry dates', 'sona erme tarihli anahtarlardan oluşan bir liste'],
      ['matched no file', 'hiçbir dosyayla eşleşmedi'],
      ['matched only a folder', 'yalnızca bir klasörle eşleşti'],
      [
        'matched only something that is not a regular file (a pipe, socket or device)',
        'yalnızca normal dosya olmayan bir şeyle eşleşti (pipe, soket veya aygıt)',
      ],
      ['no GitHub token and repository', 'GitHub token’ı ve depo yok'],
      ['one or more PEM certificates', 'bir veya daha fazla PEM sertifikası'],
      ['one or more PEM files', 'bir veya daha fazla PEM dosyası'],
      ['one or more inventory files', 'bir veya daha fazla envanter dosyası'],
      ['the connection was reset during the handshake', 'el sıkışma sırasında bağlantı sıfırlandı'],
      ['handshake failed', 'el sıkışması başarısız'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en.replace(/[()]/g, '\\$&')}$`), tr]),
  // policy-signatures
  [/ is an? (\w+) key; Ed25519, ECDSA and RSA keys are supported\./g, ' bir $1 anahtarı; Ed25519, ECDSA ve RSA anahtarları destekleniyor.'],
  [/ is a (\d+)-bit RSA key; at least (\d+) bits are required\./g, ' $1 bitlik bir RSA anahtarı; en az $2 bit gerekli.'],
  [/ is an EC key on (\S+); (\S+), (\S+) and (\S+) are supported\./g, ' $1 üzerinde bir EC anahtarı; $2, $3 ve $4 destekleniyor.'],
  [
    /Fix the file so that it parses \(ssh-keygen\(1\) "ALLOWED SIGNERS" and openssl pkey -pubout describe the forms\)\./g,
    'Dosyayı ayrıştırılabilecek şekilde düzeltin (biçimleri ssh-keygen(1) "ALLOWED SIGNERS" ve openssl pkey -pubout anlatır).',
  ],
  [
    /give `public-keys` \(PEM or minisign public keys\), `allowed-signers` \(an OpenSSH allowed_signers file\), or both: without a trusted key no signature can be verified\./g,
    '`public-keys` (PEM veya minisign açık anahtarları), `allowed-signers` (bir OpenSSH allowed_signers dosyası) ya da ikisini verin: güvenilen bir anahtar olmadan hiçbir imza doğrulanamaz.',
  ],
  [
    /PEM public keys \(-----BEGIN PUBLIC KEY----- blocks\) or minisign public keys \(untrusted comment: line and RW\.\.\. line\), inline or as paths of files holding them, one per line \(/g,
    'satır başına bir tane, satır içinde veya onları içeren dosyaların yolları olarak PEM açık anahtarları (-----BEGIN PUBLIC KEY----- blokları) ya da minisign açık anahtarları (untrusted comment: satırı ve RW... satırı) (',
  ],
  [
    /(\d+) lines of `public-keys` hold key text outside a whole -----BEGIN \.\.\.----- to -----END \.\.\.----- block: paste the whole PEM block, or give the path of the key file\)/g,
    '`public-keys` içindeki $1 satır tam bir -----BEGIN ...----- / -----END ...----- bloğunun dışında anahtar metni içeriyor: tüm PEM bloğunu yapıştırın ya da anahtar dosyasının yolunu verin)',
  ],
  [/inline key (\d+) has ("[^"]*") but no ("[^"]*") line\)/g, '$1. satır içi anahtarda $2 var ama $3 satırı yok)'],
  [
    /inline key (\d+) is a private key; give its public half \((openssl pkey -in \S+ -pubout)\)\)/g,
    '$1. satır içi anahtar özel bir anahtar; açık yarısını verin ($2))',
  ],
  [/inline key (\d+) is not a readable PEM public key\)/g, '$1. satır içi anahtar okunabilir bir PEM açık anahtarı değil)'],
  [
    /The glob (`[^`]+`) matched no policy files under the workspace( \(it matched (\d+) signature or key files?, which are not policies\))?\. Fix the pattern, or remove it if those policies are gone\./g,
    (_, g: string, extra: string | undefined, n: string) =>
      `${g} glob’u workspace altında hiçbir politika dosyasıyla eşleşmedi${extra ? ` (politika olmayan ${n} imza veya anahtar dosyasıyla eşleşti)` : ''}. Deseni düzeltin ya da o politikalar artık yoksa kaldırın.`,
  ],
  [
    /(\S+) is not (validly )?signed\. /g,
    (_, f: string, validly: string | undefined) => `${f} ${validly ? 'geçerli şekilde imzalanmamış' : 'imzalanmamış'}. `,
  ],
  [/No signature beside it: none of (.+?) exists\. /g, 'Yanında imza yok: $1 dosyalarının hiçbiri yok. '],
  [
    /(\S+) is empty \((only whitespace|0 bytes)\): it holds no signature\. /g,
    (_, f: string, why: string) => `${f} boş (${why === '0 bytes' ? '0 bayt' : 'yalnızca boşluk'}): imza içermiyor. `,
  ],
  [
    /Sign it \(for example (`[^`]+`) or (`[^`]+`)\) and commit the signature beside it\./g,
    'İmzalayın (örneğin $1 veya $2) ve imzayı yanına commit edin.',
  ],
  [
    /The file's minisign signature by key (\w+) is valid, but the trusted comment's signature is not: the trusted comment was altered\. /g,
    'Dosyanın $1 anahtarıyla minisign imzası geçerli, ama trusted comment imzası değil: trusted comment değiştirilmiş. ',
  ],
  [
    /If the change is intended, have a trusted signer review and re-sign the file; otherwise revert it\./g,
    'Değişiklik kasıtlıysa güvenilen bir imzalayana inceletip dosyayı yeniden imzalatın; değilse geri alın.',
  ],
  [
    /The minisign signature was made by key id (\w+), but the configured minisign keys are (.+?)\. /g,
    'Minisign imzası $1 anahtar id’si ile yapılmış, ama ayarlı minisign anahtarları: $2. ',
  ],
  [
    /Re-sign it with a trusted key, or add the signer's public key to `public-keys` or `allowed-signers` if the signer should be trusted\./g,
    'Güvenilen bir anahtarla yeniden imzalayın ya da imzalayana güvenilmeliyse açık anahtarını `public-keys` veya `allowed-signers` içine ekleyin.',
  ],
  [
    /The SSH signature by (\S+) key (\S+) does not match the file's contents: the file or the signature changed after signing\. /g,
    '$1 anahtarı $2 ile SSH imzası dosyanın içeriğiyle eşleşmiyor: dosya veya imza imzalamadan sonra değişti. ',
  ],
  [
    /The SSH signature cannot be used: the signing key in the SSHSIG has the unsupported type ("[^"]*")\. /g,
    'SSH imzası kullanılamaz: SSHSIG içindeki imzalama anahtarının türü $1 desteklenmiyor. ',
  ],
  [
    /Re-sign it with a supported algorithm: Ed25519, ECDSA P-256\/384\/521 or RSA of 2048 bits or more, over SHA-256, SHA-384 or SHA-512\./g,
    'Desteklenen bir algoritmayla yeniden imzalayın: Ed25519, ECDSA P-256/384/521 veya 2048 bit ya da daha büyük RSA, SHA-256, SHA-384 veya SHA-512 üzerinden.',
  ],
  [
    /The SSH signature cannot be used: the signing key in the SSHSIG is a security-key type \((\S+)\), which this gate does not verify\. Sign it with a key that is not on a security key \((`[^`]+`)\) and list that key in `allowed-signers`\./g,
    'SSH imzası kullanılamaz: SSHSIG içindeki imzalama anahtarı bir security-key türü ($1), bu kontrol onu doğrulamaz. Bir security key üzerinde olmayan bir anahtarla imzalayın ($2) ve o anahtarı `allowed-signers` içinde listeleyin.',
  ],
  [
    /The SSH signature is valid but made by (\S+) key (\S+), which no line of allowed_signers lists\. /g,
    'SSH imzası geçerli ama $1 anahtarı $2 ile yapılmış; allowed_signers’ın hiçbir satırı onu listelemiyor. ',
  ],
  [
    /The SSH signature is valid, but allowed_signers line (\d+) \(([^)]+)\) expired at (\S+) \(valid-before\), and it is (\S+?)\. Re-sign it with a key that is valid now, or correct the signer's valid-after\/valid-before in allowed_signers\./g,
    'SSH imzası geçerli, ama allowed_signers $1. satır ($2) $3 tarihinde sona erdi (valid-before), şu an $4. Şu an geçerli bir anahtarla yeniden imzalayın ya da allowed_signers içinde imzalayanın valid-after/valid-before değerlerini düzeltin.',
  ],
  [
    /The SSH signature is valid, but allowed_signers line (\d+) \(([^)]+)\) marks this key cert-authority, which only vouches for certificates, not for plain signatures\. /g,
    'SSH imzası geçerli, ama allowed_signers $1. satır ($2) bu anahtarı cert-authority olarak işaretliyor; bu yalnızca sertifikalara kefil olur, düz imzalara değil. ',
  ],
  [
    /The SSH signature was made for the namespace ("[^"]*"), but `namespace` is ("[^"]*") \((ssh-keygen -Y sign -n \S+)\)\. Re-sign it with (`[^`]+`) \(or a namespace allowed_signers permits\), or set `namespace` to the one your team signs with\./g,
    'SSH imzası $1 namespace’i için yapılmış, ama `namespace` değeri $2 ($3). $4 ile (ya da allowed_signers’ın izin verdiği bir namespace ile) yeniden imzalayın veya `namespace` değerini takımınızın imzaladığı namespace yapın.',
  ],
  [/The SSHSIG signature cannot be read: the SSHSIG blob is truncated\. /g, 'SSHSIG imzası okunamıyor: SSHSIG blob’u kesik. '],
  [
    /The file carries a raw (\w+) signature \(binary\), but `public-keys` holds no \1 key to verify it with\. /g,
    'Dosya ham bir $1 imzası (ikili) taşıyor, ama `public-keys` onu doğrulayacak bir $1 anahtarı içermiyor. ',
  ],
  [
    /The file carries an SSH signature by (\S+) key (\S+), but no `allowed-signers` file is loaded to trust SSH keys \(give one, or fix the allowed-signers check\)\. /g,
    'Dosya $1 anahtarı $2 ile bir SSH imzası taşıyor, ama SSH anahtarlarına güvenmek için yüklenmiş bir `allowed-signers` dosyası yok (bir tane verin ya da allowed-signers kontrolünü düzeltin). ',
  ],
  [
    /The raw (\w+) signature \(binary\) verifies with none of the (\d+) configured \1 keys? \(over SHA-256, SHA-384 or SHA-512\): the file or the signature changed after signing, or it was signed by a key not in `public-keys`\. /g,
    'Ham $1 imzası (ikili) ayarlı $2 $1 anahtarının hiçbiriyle doğrulanmıyor (SHA-256, SHA-384 veya SHA-512 üzerinden): dosya veya imza imzalamadan sonra değişti ya da `public-keys` içinde olmayan bir anahtarla imzalandı. ',
  ],
  [
    /The raw (\w+) signature \(binary\) was made by (.+?) key (\S+) with (.+?), which this gate does not accept\. /g,
    'Ham $1 imzası (ikili) $2 anahtarı $3 ile, bu kontrolün kabul etmediği $4 kullanılarak yapılmış. ',
  ],
  [
    /The signature is in no format this gate knows: its (\d+) bytes are neither an SSH SIGNATURE armor, a minisign signature, a Sigstore bundle, a DER ECDSA signature, a 64-byte Ed25519 signature, nor an RSA signature the size of a configured RSA key \(binary or base64\)\. /g,
    'İmza bu kontrolün bildiği bir biçimde değil: $1 baytı ne bir SSH SIGNATURE armor, ne minisign imzası, ne Sigstore bundle, ne DER ECDSA imzası, ne 64 baytlık Ed25519 imzası, ne de ayarlı bir RSA anahtarı boyutunda RSA imzası (ikili veya base64). ',
  ],
  [
    /Replace it with a supported signature: SSHSIG \(ssh-keygen -Y sign\), minisign, a Sigstore bundle, a cosign blob signature, or a raw openssl signature\./g,
    'Desteklenen bir imzayla değiştirin: SSHSIG (ssh-keygen -Y sign), minisign, bir Sigstore bundle, bir cosign blob imzası veya ham bir openssl imzası.',
  ],
  [
    /(\S+) could not be read \((\w+)\)\. Check that the runner can read the file and its signature\./g,
    '$1 okunamadı ($2). Runner’ın dosyayı ve imzasını okuyabildiğini kontrol edin.',
  ],
  [/(\S+) is (\d+) bytes, too large to be a signature\. /g, '$1 $2 bayt, imza olamayacak kadar büyük. '],
  [
    /The Sigstore bundle signature cannot be read: it is a keyless bundle \(a Fulcio certificate, no key of yours signed it\), and this gate verifies key-based Sigstore bundles only, offline against `public-keys`\. Sign it with a key instead \((`[^`]+`)\) and add (\S+) to `public-keys`, or commit an SSH or minisign signature beside it\./g,
    'Sigstore bundle imzası okunamıyor: keyless bir bundle (bir Fulcio sertifikası, sizin hiçbir anahtarınız imzalamadı), bu kontrol ise yalnızca anahtar tabanlı Sigstore bundle’larını çevrimdışı olarak `public-keys` ile doğrular. Bunun yerine bir anahtarla imzalayın ($1) ve $2 dosyasını `public-keys` içine ekleyin ya da yanına bir SSH veya minisign imzası commit edin.',
  ],
  [
    /The bundle signs SHA-256 (\S+), but the file's SHA-256 is (\S+): the file changed after signing\. /g,
    'Bundle SHA-256 $1 değerini imzalıyor, ama dosyanın SHA-256 değeri $2: dosya imzalamadan sonra değişti. ',
  ],
  [
    /allowed_signers line (\d+): ("[^"]*") is not an option ssh-keygen accepts \(([^)]+)\)\. /g,
    'allowed_signers $1. satır: $2, ssh-keygen’in kabul ettiği bir seçenek değil ($3). ',
  ],
  [/allowed_signers lists no signers\. /g, 'allowed_signers hiçbir imzalayan listelemiyor. '],
  [/(\S+) is not a readable PEM public key\. /g, '$1 okunabilir bir PEM açık anahtarı değil. '],
  [
    /(\S+) \(from `public-keys`\) holds no PEM or minisign public key\. Give the key file or paste the key inline\./g,
    '$1 (`public-keys` içinden) PEM veya minisign açık anahtarı içermiyor. Anahtar dosyasını verin ya da anahtarı satır içine yapıştırın.',
  ],
  [
    /(\S+) does not exist\. Check the path \(relative to the workspace\) or commit the file\./g,
    '$1 yok. Yolu (workspace’e göre) kontrol edin ya da dosyayı commit edin.',
  ],
  [
    /\bsignature by a trusted key beside the file \(\.sig, \.sigstore\.json or \.minisig\)/g,
    'dosyanın yanında güvenilen bir anahtarla imza (.sig, .sigstore.json veya .minisig)',
  ],
  [
    /^(invalid|untrusted): (\w+) \(prehashed, ([^)]+)\); /,
    (_, w: string, f: string, h: string) => `${w === 'invalid' ? 'geçersiz' : 'güvenilmiyor'}: ${f} (ön-hash’li, ${h}); `,
  ],
  [/; key (SHA256:\S+), minisign key (\w+)$/, '; anahtar $1, minisign anahtarı $2'],
  [/; minisign key (\w+)$/, '; minisign anahtarı $1'],
  [/^at least (\d+) policy files?$/, 'en az $1 politika dosyası'],
  ...(
    [
      ['a PEM or minisign public key', 'bir PEM veya minisign açık anahtarı'],
      ['a readable PEM or minisign public key', 'okunabilir bir PEM veya minisign açık anahtarı'],
      ['not valid', 'geçerli değil'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en}$`), tr]),
  // GitHub's answers, shared by the gates that read the API (release-freeze, security-alerts, approval-guard)
  [/\bGitHub answered HTTP (\d+) \((.*?)\)(?=[.;:]|, | \()/g, 'GitHub HTTP $1 yanıtı verdi ($2)'],
  [/\bGitHub answered (\d+): /g, 'GitHub $1 yanıtı verdi: '],
  [/Run the gate again; if it persists, check (\S+)\.(?= |$)/g, 'Kontrolü yeniden çalıştırın; sürerse $1 adresine bakın.'],
  [/\bRun the gate again\./g, 'Kontrolü yeniden çalıştırın.'],
  [
    /\bthe GitHub API did not answer \((.+?)\)\. Check GITHUB_API_URL and the network, then run the gate again\./g,
    'GitHub API yanıt vermedi ($1). GITHUB_API_URL ve ağı kontrol edin, sonra kontrolü yeniden çalıştırın.',
  ],
  [
    /GitHub's pages of (GET \S+) did not end \(a page links back to one already read\), so the list is not complete\./g,
    'GitHub’ın $1 sayfaları bitmedi (bir sayfa daha önce okunmuş birine geri bağlanıyor), yani liste tam değil.',
  ],
  [
    /\b(Listing commits|Reading tags) needs the repository permission ("[^"]+") \((`[^`]+`)\)\./g,
    (_, what: string, perm: string, p: string) =>
      `${what === 'Listing commits' ? 'Commit’leri listelemek' : 'Tag’leri okumak'} için depo izni ${perm} gerekir (${p}).`,
  ],
  [
    /\bReading (pull requests|reviews) needs ("[^"]+") \((`[^`]+`)\)\./g,
    (_, what: string, perm: string, p: string) =>
      `${what === 'reviews' ? 'İncelemeleri' : 'Pull request’leri'} okumak için ${perm} gerekir (${p}).`,
  ],
  [
    /\bReading branch rules needs only read access to the repository \(("[^"]+")\); a token refused even that cannot prove the branch is frozen\./g,
    'Branch kurallarını okumak için depoya yalnızca okuma erişimi gerekir ($1); bunu bile reddedilen bir token branch’in dondurulduğunu kanıtlayamaz.',
  ],
  [
    /\bReading team membership needs a token that may read the organization’s members \(a GitHub App or fine-grained token with the organization permission ("[^"]+"), or a classic token with (`[^`]+`)\); the workflow’s GITHUB_TOKEN cannot\. Give one as `github-token`, or name the people instead of the team\./g,
    'Takım üyeliğini okumak için organizasyonun üyelerini okuyabilen bir token gerekir (organizasyon izni $1 olan bir GitHub App veya fine-grained token, ya da $2 olan klasik bir token); workflow’un GITHUB_TOKEN’ı okuyamaz. `github-token` olarak bir tane verin ya da takım yerine kişileri adlandırın.',
  ],
  [
    /\bClassic branch protection can be read only with the repository permission ("[^"]+") \(a GitHub App or fine-grained token; a classic token needs (`[^`]+`) and admin rights\), which the workflow’s GITHUB_TOKEN never has: give such a token as `github-token`, or protect the branch with a ruleset, which any token can read\./g,
    'Klasik branch koruması yalnızca depo izni $1 ile okunabilir (bir GitHub App veya fine-grained token; klasik bir token $2 ve admin hakları gerektirir), workflow’un GITHUB_TOKEN’ı buna asla sahip değildir: `github-token` olarak böyle bir token verin ya da branch’i her token’ın okuyabildiği bir ruleset ile koruyun.',
  ],
  // release-freeze
  [
    /\b(\d+) of (\d+) commits? on (\S+) since tag (\S+) did not come through a merged pull request into \3 labelled (\S+) and approved by (\S+?): /g,
    '$4 tag’inden beri $3 üzerindeki $2 commit’in $1 tanesi $3 hedefli, $5 etiketli ve $6 onaylı birleştirilmiş bir pull request’ten gelmedi: ',
  ],
  [
    /\bpull request #(\d+) is approved only by (\S+), and could not read whether \2 is a member of team (\S+?): /g,
    'pull request #$1 yalnızca $2 tarafından onaylandı, ve $2 kullanıcısının $3 takımının üyesi olup olmadığı okunamadı: ',
  ],
  [/Could not list the pull requests of commit (\w+): /g, '$1 commit’inin pull request’leri listelenemedi: '],
  [
    /GitHub answered the pull requests of commit (\w+) with something that is not a list of pull requests\./g,
    'GitHub $1 commit’inin pull request’lerine pull request listesi olmayan bir şeyle yanıt verdi.',
  ],
  [
    /\bpull request #(\d+) has reviews nobody could read: could not read the reviews of pull request #\1: /g,
    'pull request #$1 incelemeleri okunamadı: pull request #$1 incelemeleri okunamadı: ',
  ],
  [
    /\b(\d+) commits reached (\S+) since tag (\S+): more than the (\d+) a freeze could let in, so the branch was not frozen then\. Check `since`\./g,
    '$3 tag’inden beri $2 dalına $1 commit ulaştı: bir dondurmanın içeri alabileceği $4 sayısından fazla, yani branch o zaman dondurulmuş değildi. `since` girdisini kontrol edin.',
  ],
  [
    /Could not check the release freeze: the gate needs a token and a repository \(the `github-token` input and GITHUB_REPOSITORY\) to read branch protection, tags and pull requests\. Run it in a workflow, or give it a token\./g,
    'Release dondurması kontrol edilemedi: kontrolün branch korumasını, tag’leri ve pull request’leri okumak için bir token’a ve depoya (`github-token` girdisi ve GITHUB_REPOSITORY) ihtiyacı var. Bir workflow içinde çalıştırın ya da bir token verin.',
  ],
  [/Could not compare tag (\S+) with branch (\S+) of (\S+?): /g, '$1 tag’i $3 deposunun $2 dalıyla karşılaştırılamadı: '],
  [
    /Could not compare tag (\S+) with the commit under test: no commit is known \(the `sha` input or GITHUB_SHA\)\./g,
    '$1 tag’i test edilen commit ile karşılaştırılamadı: bilinen bir commit yok (`sha` girdisi veya GITHUB_SHA).',
  ],
  [/Could not list the commits of branch (\S+) of (\S+?): /g, '$2 deposunun $1 dalının commit’leri listelenemedi: '],
  [/Could not read tag (\S+) of (\S+?): /g, '$2 deposunun $1 tag’i okunamadı: '],
  [/Could not read the rules of branch (\S+) of (\S+?): /g, '$2 deposunun $1 dalının kuralları okunamadı: '],
  [
    /Could not tell which branch is frozen: the run is for (`[^`]+`), not a branch\. Give `branch`, such as (\S+?)\./g,
    'Hangi dalın dondurulduğu söylenemedi: çalıştırma bir dal için değil, $1 için. `branch` verin, örneğin $2.',
  ],
  [
    /GitHub answered the comparison of tag (\S+) with branch (\S+) with something that is not a comparison\./g,
    'GitHub $1 tag’i ile $2 dalının karşılaştırmasına karşılaştırma olmayan bir şeyle yanıt verdi.',
  ],
  [
    /GitHub answered the rules of branch (\S+) of (\S+) with something that is not a list of rules, so what protects it cannot be told\./g,
    'GitHub $2 deposunun $1 dalının kurallarına kural listesi olmayan bir şeyle yanıt verdi, yani onu neyin koruduğu söylenemez.',
  ],
  [
    /GitHub answered the tag (\S+) of (\S+) with something that is not that tag's ref, so which commit it names cannot be told\./g,
    'GitHub $2 deposunun $1 tag’ine o tag’in ref’i olmayan bir şeyle yanıt verdi, yani hangi commit’i gösterdiği söylenemez.',
  ],
  [
    /GitHub listed (\d+) of the (\d+) commits on branch (\S+) after tag (\S+), so the rest cannot be judged\./g,
    'GitHub $4 tag’inden sonra $3 dalındaki $2 commit’in yalnızca $1 tanesini listeledi, yani geri kalanı değerlendirilemez.',
  ],
  [
    /No active ruleset of branch (\S+) proves ("[^"]+"), and classic protection could not be read to prove it either\./g,
    '$1 dalının hiçbir aktif ruleset’i $2 kuralını kanıtlamıyor, ve klasik koruma da bunu kanıtlamak için okunamadı.',
  ],
  [/Could not read the classic branch protection of (\S+) of (\S+?): /g, '$2 deposunun $1 dalının klasik branch koruması okunamadı: '],
  [
    /GitHub answered the classic branch protection of (\S+) with something that is not a protection, so it cannot be told what it protects\./g,
    'GitHub $1 dalının klasik branch korumasına koruma olmayan bir şeyle yanıt verdi, yani neyi koruduğu söylenemez.',
  ],
  [
    /Tag (\S+) does not exist in (\S+?): push the RC tag, or correct `tag`\/`since`\./g,
    '$1 tag’i $2 içinde yok: RC tag’ini push edin ya da `tag`/`since` değerini düzeltin.',
  ],
  [
    /Tag (\S+) and branch (\S+) cannot be compared in (\S+) \(GitHub $4 yanıtı verdi: one of them does not exist, or they share no history\)\./g,
    '$3 içinde $1 tag’i ve $2 dalı karşılaştırılamaz (GitHub 404 yanıtı verdi: biri yok ya da ortak geçmişleri yok).',
  ],
  [
    /Tag (\S+) and branch (\S+) cannot be compared in (\S+) \(GitHub (\d+) yanıtı verdi: one of them does not exist, or they share no history\)\./g,
    '$3 içinde $1 tag’i ve $2 dalı karşılaştırılamaz (GitHub $4 yanıtı verdi: biri yok ya da ortak geçmişleri yok).',
  ],
  [/^(\d+) of (\d+) commits? not allowed or not readable$/, '$2 commit’in $1 tanesi izinli değil veya okunamıyor'],
  [/^(\d+) of (\d+) commits listed$/, '$2 commit’in $1 tanesi listelendi'],
  [
    /^every commit since tag (\S+) through a merged pull request into (\S+) labelled (\S+) and approved by (\S+)$/,
    '$1 tag’inden beri her commit $2 hedefli, $3 etiketli ve $4 onaylı birleştirilmiş bir pull request’ten',
  ],
  [
    /^tag (\S+) at the commit under test( \w+)?$/,
    (_, t: string, sha: string | undefined) => `${t} tag’i test edilen commit${sha ?? ''} üzerinde`,
  ],
  [/^rules unreadable \(no answer\)$/, 'kurallar okunamıyor (yanıt yok)'],
  ...(
    [
      ['a release branch to check', 'kontrol edilecek bir release dalı'],
      ['at least one approving review required', 'en az bir onaylayan inceleme zorunlu'],
      ['deletion blocked', 'silme engelli'],
      ['force pushes blocked', 'force push engelli'],
      ['no GitHub API access', 'GitHub API erişimi yok'],
      ['no such tag', 'böyle bir tag yok'],
      ['not comparable', 'karşılaştırılamaz'],
      ['the GitHub API', 'GitHub API'],
      ['unreadable \\(no answer\\)', 'okunamıyor (yanıt yok)'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en}$`), tr]),
  // security-alerts
  [
    /\b(\d+) open (Dependabot|code-scanning|secret-scanning) alerts?( on (\S+))? at or above (\w+): /g,
    (_, n: string, kind: string, _on: string, ref: string | undefined, sev: string) =>
      `${sev} veya üzeri ${n} açık ${kind} uyarısı${ref ? ` (${ref} üzerinde)` : ''}: `,
  ],
  [/\b(\d+) results? of (\S+) in (\S+) at or above (\w+): /g, '$3 içinde $4 veya üzeri $1 $2 sonucu: '],
  [
    / of unreadable severity \((advisory severity (\w+)|no severity given|security-severity ("[^"]*"))\)/g,
    (_, _w: string, adv: string | undefined, sec: string | undefined) =>
      ` okunamayan önem derecesiyle (${adv ? `advisory önem derecesi ${adv}` : sec ? `security-severity ${sec}` : 'önem derecesi verilmemiş'})`,
  ],
  [/ at (\S+) in (\S+) \((Dependabot alert #\d+)\)/g, ' $2 içinde $1 konumunda ($3)'],
  [/ at no location given \((\S+)\)/g, ' konum verilmemiş ($1)'],
  [/ at (\S+) \((\w+) alert #(\d+)\)/g, ' $1 konumunda ($2 uyarısı #$3)'],
  [
    /Upgrade the dependencies \(or dismiss the alerts with a reason\) before the cutover\./g,
    'Cutover’dan önce bağımlılıkları yükseltin (ya da uyarıları bir gerekçeyle kapatın).',
  ],
  [/Fix them \(or dismiss them with a reason\) before the cutover\./g, 'Cutover’dan önce düzeltin (ya da bir gerekçeyle kapatın).'],
  [
    /Fix them, or suppress them in the scanner with a reason, before the cutover\./g,
    'Cutover’dan önce düzeltin ya da tarayıcıda bir gerekçeyle bastırın.',
  ],
  [
    /\b(Code scanning|Secret scanning|Dependabot alerts) (?:is|are) off or not set up for (\S+?)( on (\S+))?: (GitHub HTTP \d+ yanıtı verdi \([^)]*\)), so no alert of it can be read, and a scan that never ran proves nothing\. Turn it on in Settings → Code security, or set (`[^`]+`) to cut over without it\./g,
    (_, what: string, repo: string, _on: string, ref: string | undefined, gh: string, off: string) =>
      `${repo}${ref ? ` (${ref})` : ''} için ${what} kapalı veya kurulmamış: ${gh}, yani hiçbir uyarısı okunamaz ve hiç çalışmamış bir tarama hiçbir şey kanıtlamaz. Settings → Code security içinde açın ya da onsuz cutover için ${off} ayarlayın.`,
  ],
  [
    /Could not list the open (Dependabot|code-scanning|secret-scanning) alerts of (\S+?): /g,
    '$2 deposunun açık $1 uyarıları listelenemedi: ',
  ],
  [
    /Reading (Dependabot|secret-scanning) alerts needs a token with the repository permission ("[^"]+") \(a fine-grained token or GitHub App; (GitHub may refuse them to the workflow’s GITHUB_TOKEN|the workflow’s GITHUB_TOKEN cannot)\) or a classic token with (`[^`]+`)\./g,
    (_, kind: string, perm: string, why: string, classic: string) =>
      `${kind} uyarılarını okumak için depo izni ${perm} olan bir token (fine-grained token veya GitHub App; ${why.startsWith('GitHub may') ? 'GitHub bunları workflow’un GITHUB_TOKEN’ına reddedebilir' : 'workflow’un GITHUB_TOKEN’ı okuyamaz'}) ya da ${classic} olan klasik bir token gerekir.`,
  ],
  [
    /Reading code-scanning alerts needs (`[^`]+`) \(a classic token: (`[^`]+`)\)\./g,
    'Code-scanning uyarılarını okumak için $1 gerekir (klasik token: $2).',
  ],
  [
    /Could not read the Dependabot alerts: the gate needs a token and a repository \(the `github-token` input and GITHUB_REPOSITORY\)\. Give a token, or set (`[^`]+`)\./g,
    'Dependabot uyarıları okunamadı: kontrolün bir token’a ve depoya (`github-token` girdisi ve GITHUB_REPOSITORY) ihtiyacı var. Bir token verin ya da $1 ayarlayın.',
  ],
  [
    /Could not tell which ref the release is, so its code-scanning alerts cannot be read: give `ref`, such as (\S+?)\.$/g,
    'Release’in hangi ref olduğu söylenemedi, yani code-scanning uyarıları okunamaz: `ref` verin, örneğin $1.',
  ],
  [
    /GitHub answered the code-scanning alerts of (\S+) with something that is not a list of alerts\./g,
    'GitHub $1 deposunun code-scanning uyarılarına uyarı listesi olmayan bir şeyle yanıt verdi.',
  ],
  [
    /No SBOM matches (`[^`]+`) under the workspace: the SBOM was not generated, or was written elsewhere\. Generate it \(CycloneDX or SPDX JSON\) before this gate, or fix `sbom`\./g,
    'Workspace altında $1 ile eşleşen SBOM yok: SBOM üretilmedi ya da başka yere yazıldı. Bu kontrolden önce üretin (CycloneDX veya SPDX JSON) ya da `sbom` girdisini düzeltin.',
  ],
  [
    /Nothing was checked: code scanning, Dependabot and secret scanning are all `off` and no `sarif` or `sbom` is given\. Turn one on, or name the scan reports and the SBOM\./g,
    'Hiçbir şey kontrol edilmedi: code scanning, Dependabot ve secret scanning hepsi `off` ve `sarif` veya `sbom` verilmedi. Birini açın ya da tarama raporlarını ve SBOM’u belirtin.',
  ],
  [
    /The SBOM (\S+) \(([^)]+)\) lists no components: it names none of the release's parts\. Generate it from the built release\./g,
    '$1 SBOM’u ($2) hiçbir bileşen listelemiyor: release’in hiçbir parçasını adlandırmıyor. Onu derlenmiş release’ten üretin.',
  ],
  [/The SBOM (\S+) is not a JSON object\./g, '$1 SBOM’u bir JSON nesnesi değil.'],
  [/The SBOM (\S+) is CycloneDX without a (`[^`]+`)\./g, '$1 SBOM’u $2 olmayan bir CycloneDX.'],
  [/The SBOM (\S+) is not JSON \(/g, '$1 SBOM’u JSON değil ('],
  [
    /The glob (`[^`]+`) matched no SARIF file under the workspace: the scan did not run, or wrote elsewhere\. Run the scanner before this gate, or fix `sarif`\./g,
    '$1 glob’u workspace altında hiçbir SARIF dosyasıyla eşleşmedi: tarama çalışmadı ya da başka yere yazdı. Tarayıcıyı bu kontrolden önce çalıştırın ya da `sarif` girdisini düzeltin.',
  ],
  [
    /(\S+) says the (\S+) scan did not finish \((`[^`]+`)\): it cannot be judged\. /g,
    '$1, $2 taramasının bitmediğini söylüyor ($3): değerlendirilemez. ',
  ],
  [/Point `sarif` at the scanner's SARIF 2\.1\.0 output\./g, '`sarif` girdisini tarayıcının SARIF 2.1.0 çıktısına yöneltin.'],
  [
    /(\S+) is empty: a scan report nobody can read proves nothing\./g,
    '$1 boş: kimsenin okuyamadığı bir tarama raporu hiçbir şey kanıtlamaz.',
  ],
  [
    /(\S+) has no results list for the (\S+) run: the scan did not report: it cannot be judged\. /g,
    '$1 içinde $2 çalıştırması için sonuç listesi yok: tarama rapor vermedi: değerlendirilemez. ',
  ],
  [
    /(\S+) is not JSON \((.+?)\): a scan report nobody can read proves nothing\./g,
    '$1 JSON değil ($2): kimsenin okuyamadığı bir tarama raporu hiçbir şey kanıtlamaz.',
  ],
  [/(\S+) is not SARIF 2\.1\.0 \(version ("[^"]*")\): it cannot be judged\. /g, '$1 SARIF 2.1.0 değil (sürüm $2): değerlendirilemez. '],
  [/^(\d+) at or above (\w+)$/, '$2 veya üzeri $1'],
  [/^(\S+ [\d.]+), no components$/, '$1, bileşen yok'],
  [/^SARIF 2\.1\.0 with nothing at or above (\w+)$/, 'SARIF 2.1.0, $1 veya üzeri hiçbir şey yok'],
  [/^a SARIF file matching (\S+)$/, '$1 ile eşleşen bir SARIF dosyası'],
  [
    /^no open (Dependabot|code-scanning) alert( on (\S+))? at or above (\w+)$/,
    (_, kind: string, _on: string, ref: string | undefined, sev: string) =>
      `${sev} veya üzeri açık ${kind} uyarısı yok${ref ? ` (${ref} üzerinde)` : ''}`,
  ],
  [/^no result of (\S+) in (\S+) at or above (\w+)$/, '$2 içinde $3 veya üzeri $1 sonucu yok'],
  [/^nothing open at or above (\w+)$/, '$1 veya üzeri açık bir şey yok'],
  ...(
    [
      ['a CycloneDX or SPDX JSON SBOM listing components', 'bileşen listeleyen bir CycloneDX veya SPDX JSON SBOM'],
      ['alerts, SARIF files or an SBOM to judge', 'değerlendirilecek uyarılar, SARIF dosyaları veya bir SBOM'],
      ['no file', 'dosya yok'],
      ['no open secret-scanning alert', 'açık secret-scanning uyarısı yok'],
      ['no release ref', 'release ref’i yok'],
      ['not SARIF 2\\.1\\.0', 'SARIF 2.1.0 değil'],
      ['not an SBOM', 'SBOM değil'],
      ['nothing to check', 'kontrol edilecek bir şey yok'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en}$`), tr]),
  // approval-guard
  [
    /Any branch may deploy to (\S+?); set deployment branches \(Settings → Environments → \1 → Deployment branches and tags\) so that only release branches can\./g,
    'Her dal $1 ortamına deploy edebilir; yalnızca release dallarının edebilmesi için deployment dallarını ayarlayın (Settings → Environments → $1 → Deployment branches and tags).',
  ],
  [/Could not list the deployment branch policies of (\S+?): /g, '$1 ortamının deployment dal politikaları listelenemedi: '],
  [
    /Could not read approvals: the run id \(GITHUB_RUN_ID\) is unknown\. Run the gate inside the workflow run whose approval it records, or set (`[^`]+`)\./g,
    'Onaylar okunamadı: çalıştırma id’si (GITHUB_RUN_ID) bilinmiyor. Kontrolü onayını kaydettiği workflow çalıştırması içinde çalıştırın ya da $1 ayarlayın.',
  ],
  [/Could not read environment (\S+) of (\S+?): /g, '$2 deposunun $1 ortamı okunamadı: '],
  [/ \(GitHub accepts: ([^)]+)\)/g, ' (GitHub’ın kabul ettiği: $1)'],
  [
    /The token needs the ("[^"]+") read permission: give the job (`[^`]+`) \(a classic token needs the (`[^`]+`) scope for a private repository\)\./g,
    'Token’ın $1 okuma izni olmalı: job’a $2 verin (klasik bir token özel bir depo için $3 kapsamını gerektirir).',
  ],
  [
    /Could not read environment (\S+?): the gate needs a token and a repository \(the `github-token` input and GITHUB_REPOSITORY\) to use the GitHub API\. Run it in a workflow, or give it a token\./g,
    '$1 ortamı okunamadı: kontrolün GitHub API’yi kullanmak için bir token’a ve depoya (`github-token` girdisi ve GITHUB_REPOSITORY) ihtiyacı var. Bir workflow içinde çalıştırın ya da bir token verin.',
  ],
  [/Could not read the approvals of run (\d+): /g, '$1 çalıştırmasının onayları okunamadı: '],
  [
    /Could not tell whether the approver started run (\d+): the run's actor \(GITHUB_ACTOR\) is unknown\./g,
    'Onaylayanın $1 çalıştırmasını başlatıp başlatmadığı söylenemedi: çalıştırmanın aktörü (GITHUB_ACTOR) bilinmiyor.',
  ],
  [
    /Could not tell whether the approver started run (\d+): the run's triggering actor \(GITHUB_TRIGGERING_ACTOR\) is unknown, and attempt (\d+) may have been re-run by someone other than (\S+?)\./g,
    'Onaylayanın $1 çalıştırmasını başlatıp başlatmadığı söylenemedi: çalıştırmayı tetikleyen aktör (GITHUB_TRIGGERING_ACTOR) bilinmiyor, ve $2. deneme $3 dışında biri tarafından yeniden çalıştırılmış olabilir.',
  ],
  [/Run the gate inside the workflow run, or set (`[^`]+`)\./g, 'Kontrolü workflow çalıştırması içinde çalıştırın ya da $1 ayarlayın.'],
  [
    /Environment (\S+) does not exist in (\S+) \(or the token cannot see the repository\): a job with (`[^`]+`) would create it without reviewers, and nobody would be asked to approve\. Create it in Settings → Environments with required reviewers, or correct `environment`\./g,
    '$1 ortamı $2 içinde yok (ya da token depoyu göremiyor): $3 olan bir job onu onaylayıcısız oluşturur ve kimseden onay istenmez. Settings → Environments içinde zorunlu onaylayıcılarla oluşturun ya da `environment` girdisini düzeltin.',
  ],
  [
    /Environment (\S+) has no required reviewers: a job that deploys to it starts without anyone approving\. Add required reviewers in Settings → Environments → \1 \(on GitHub Free, Pro and Team plans, required reviewers are available for public repositories only\)\./g,
    '$1 ortamının zorunlu onaylayıcısı yok: ona deploy eden bir job kimse onaylamadan başlar. Settings → Environments → $1 içinde zorunlu onaylayıcılar ekleyin (GitHub Free, Pro ve Team planlarında zorunlu onaylayıcılar yalnızca açık depolarda vardır).',
  ],
  [
    /Environment (\S+) lets a reviewer approve a run they started themselves, but prevent-self-review is requested\. Tick ("[^"]+") under Required reviewers in Settings → Environments → \1, or set (`[^`]+`)\./g,
    '$1 ortamı bir onaylayıcının kendi başlattığı çalıştırmayı onaylamasına izin veriyor, ama prevent-self-review isteniyor. Settings → Environments → $1 içinde Required reviewers altında $2 seçeneğini işaretleyin ya da $3 ayarlayın.',
  ],
  [
    /Run the gate again; if it persists, check that GITHUB_API_URL points at the GitHub API\./g,
    'Kontrolü yeniden çalıştırın; sürerse GITHUB_API_URL’in GitHub API’yi gösterdiğini kontrol edin.',
  ],
  [
    /GitHub answered the approvals of run (\d+) with something that is not a list of reviews, so who approved cannot be told\./g,
    'GitHub $1 çalıştırmasının onaylarına inceleme listesi olmayan bir şeyle yanıt verdi, yani kimin onayladığı söylenemez.',
  ],
  [
    /GitHub answered the deployment branch policies of (\S+) with something that is not a list of patterns, so which branches may deploy cannot be told\./g,
    'GitHub $1 ortamının deployment dal politikalarına desen listesi olmayan bir şeyle yanıt verdi, yani hangi dalların deploy edebileceği söylenemez.',
  ],
  [
    /GitHub answered the environment (\S+) of (\S+) with something that is not an environment \((`protection_rules` is not a list|a required reviewer is not an object|not a JSON object|the required reviewers are not a list)\), so its rules cannot be read\./g,
    (_, env: string, repo: string, why: string) =>
      `GitHub ${repo} deposunun ${env} ortamına ortam olmayan bir şeyle yanıt verdi (${({ '`protection_rules` is not a list': '`protection_rules` bir liste değil', 'a required reviewer is not an object': 'bir zorunlu onaylayıcı nesne değil', 'not a JSON object': 'JSON nesnesi değil', 'the required reviewers are not a list': 'zorunlu onaylayıcılar bir liste değil' } as Record<string, string>)[why]}), yani kuralları okunamaz.`,
  ],
  [
    /GitHub lists (\d+) approvals? of (\S+) in run (\d+) without a user \(a deleted account, or an incomplete answer\): an approval nobody can be named for proves no person approved it, and self-review cannot be ruled out\. Have a required reviewer approve a new run\./g,
    'GitHub $3 çalıştırmasında $2 için kullanıcısız $1 onay listeliyor (silinmiş bir hesap ya da eksik bir yanıt): kimsenin adı verilemeyen bir onay bir kişinin onayladığını kanıtlamaz ve self-review dışlanamaz. Zorunlu bir onaylayıcıya yeni bir çalıştırmayı onaylatın.',
  ],
  [/Nobody approved the deployment to (\S+) in run (\d+)\. /g, '$2 çalıştırmasında $1 deployment’ını kimse onaylamadı. '],
  [/The reviews of (\S+) in this run: /g, 'Bu çalıştırmada $1 incelemeleri: '],
  [/\brejected by (\S+?)(?=[.,]|$)/g, '$1 reddetti'],
  [/The run has (\d+) reviews?, none for (\S+) \(for ([^)]+)\)\./g, 'Çalıştırmanın $1 incelemesi var, hiçbiri $2 için değil ($3 için).'],
  [/The run has no reviews at all\./g, 'Çalıştırmanın hiç incelemesi yok.'],
  [
    /Run this gate in a job with (`[^`]+`), after its required reviewers approve\./g,
    'Bu kontrolü, zorunlu onaylayıcıları onayladıktan sonra $1 olan bir job’da çalıştırın.',
  ],
  [
    /^an approved review for (\S+?)(, by a named user)?$/,
    (_, env: string, named: string | undefined) => `${env} için onaylanmış bir inceleme${named ? ', adı belli bir kullanıcıdan' : ''}`,
  ],
  [/^at least (\d+) required reviewers?$/, 'en az $1 zorunlu onaylayıcı'],
  [
    /^could not (list|read) the patterns \((HTTP \d+|unreadable answer)\)$/,
    (_, _v: string, why: string) => `desenler okunamadı (${why === 'unreadable answer' ? 'okunamayan yanıt' : why})`,
  ],
  [/^could not read approvals \((HTTP \d+)\)$/, 'onaylar okunamadı ($1)'],
  ...(
    [
      ['approved by no named user', 'adı belli hiçbir kullanıcı onaylamadı'],
      [
        'approver is neither the person who started the run nor the one who triggered this attempt',
        'onaylayan ne çalıştırmayı başlatan ne de bu denemeyi tetikleyen kişi',
      ],
      ['deployment limited to chosen branches', 'deployment seçilmiş dallarla sınırlı'],
      ['no answer', 'yanıt yok'],
      ['no review', 'inceleme yok'],
      ['no run id', 'çalıştırma id’si yok'],
      ['run actor unknown', 'çalıştırma aktörü bilinmiyor'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en}$`), tr]),
  // canary
  [
    /\b(\d+) of (\d+) green windows in a row( after watching for (\S+) \((\d+) evaluations?\))? in (?:Prometheus at (\S+?)|(\S+?)): /g,
    (_, n: string, of: string, w: string | undefined, span: string, evals: string, prom: string | undefined, file: string | undefined) =>
      `${prom ? `Prometheus (${prom})` : file} içinde${w ? ` ${span} izlendikten sonra (${evals} değerlendirme)` : ''} art arda ${of} yeşil pencerenin ${n} tanesi: `,
  ],
  [/\b(\d+) of (\d+) green windows: /g, '$2 yeşil pencerenin $1 tanesi: '],
  [/\bwindow (#\d+(?: [\d:]+–[\d:]+)?) is not green: /g, '$1 penceresi yeşil değil: '],
  [/\bwindows ((?:#\d+(?: [\d:]+–[\d:]+)?(?:, )?)+) are not green: /g, '$1 pencereleri yeşil değil: '],
  [
    /\b(canary|baseline) ((?:requests|errors|p99)(?:, (?:requests|errors|p99))*)(?=[:;]| is)/g,
    (_, side: string, list: string) => `${side} ${list.replace(/requests/g, 'istekler').replace(/errors/g, 'hatalar')}`,
  ],
  [
    /\bstale: the newest sample is in the window ending (\S+), (\S+) before this one\./g,
    'bayat: en yeni örnek $1 zamanında biten pencerede, bundan $2 önce.',
  ],
  [
    /\bstale: the newest window \((#\d+)\) ended (\S+) ago, more than one window \((\S+)\) before now\./g,
    'bayat: en yeni pencere ($1) $2 önce bitti, şimdiden bir pencereden ($3) fazla önce.',
  ],
  [
    /\bstale: the evidence is (\S+) old \(`generated_at`\), older than max-age (\S+?)\./g,
    'bayat: kanıt $1 eski (`generated_at`), max-age $2 değerinden eski.',
  ],
  [
    /The data stopped arriving: check the scrape of the canary or regenerate the evidence, then run the gate again\./g,
    'Veri gelmeyi kesti: canary’nin scrape’ini kontrol edin ya da kanıtı yeniden üretin, sonra kontrolü yeniden çalıştırın.',
  ],
  [/ p99 is (NaN|infinite)/g, (_, v: string) => ` p99 ${v === 'NaN' ? 'NaN' : 'sonsuz'}`],
  [
    /\btoo little traffic: (\d+) canary requests, fewer than min-requests (\d+)/g,
    'çok az trafik: $1 canary isteği, min-requests $2 değerinden az',
  ],
  [
    /Fix the evidence or the queries so every window carries finite, non-negative numbers\./g,
    'Her pencere sonlu, negatif olmayan sayılar taşısın diye kanıtı veya sorguları düzeltin.',
  ],
  [/\bno series matched (\S+?)(?=[;.] |\.$|$)/g, 'hiçbir seri $1 ile eşleşmedi'],
  [/\bmissing baseline: /g, 'baseline eksik: '],
  [
    /Check that `canary-selector` \(or the evidence\) matches the canary and that it is serving traffic\./g,
    '`canary-selector` değerinin (veya kanıtın) canary ile eşleştiğini ve canary’nin trafik aldığını kontrol edin.',
  ],
  [
    /\bPrometheus at (\S+) answered HTTP (\d+): (.+?) \(query: (.+?)\)(?=; |\. |\.$)/g,
    '$1 adresindeki Prometheus HTTP $2 yanıtı verdi ($3) (sorgu: $4)',
  ],
  [/\bPrometheus at (\S+?) (?=adresine|\d)/g, 'Prometheus ($1) '],
  [
    /Check that Prometheus is reachable from the runner \(URL, network, credentials\), then run the gate again\./g,
    'Prometheus’un runner’dan erişilebilir olduğunu kontrol edin (URL, ağ, kimlik bilgileri), sonra kontrolü yeniden çalıştırın.',
  ],
  [
    /\bcarries no start time, so the gate cannot tell whether it was measured after the promotion \(`not-before`\)\. Only windows measured since the promotion count: read Prometheus, or give each window of the evidence its `start` and `end` times\./g,
    'başlangıç zamanı taşımıyor, yani kontrol promosyondan sonra ölçülüp ölçülmediğini söyleyemez (`not-before`). Yalnızca promosyondan beri ölçülen pencereler sayılır: Prometheus’u okuyun ya da kanıttaki her pencereye `start` ve `end` zamanlarını verin.',
  ],
  [
    /Not checked, as the evidence does not carry it: p99 against the baseline, the error rate, the request count\./g,
    'Kanıt taşımadığı için kontrol edilmedi: baseline’a göre p99, hata oranı, istek sayısı.',
  ],
  [/: not a number: ("[^"]*") \((`[^`]+`)\)/g, ': sayı değil: $1 ($2)'],
  [/\brepeats (#\d+ [\d:]+–[\d:]+) \(same start and end\)/g, '$1 penceresini tekrarlıyor (aynı başlangıç ve bitiş)'],
  [/\boverlaps (#\d+ [\d:]+–[\d:]+) by (\S+?)(?=[.;](?: |$))/g, '$1 ile $2 çakışıyor'],
  [
    /Write each window into the evidence once, back to back, each with its own start and end, then run the gate again\./g,
    'Her pencereyi kanıta bir kez, art arda, her birini kendi başlangıç ve bitişiyle yazın, sonra kontrolü yeniden çalıştırın.',
  ],
  [
    /\bthe evidence cannot be dated: `generated_at` is ("[^"]*"), not an ISO 8601 time or Unix seconds\./g,
    'kanıt tarihlendirilemiyor: `generated_at` değeri $1, bir ISO 8601 zamanı veya Unix saniyesi değil.',
  ],
  [
    /(\S+) holds no windows\. Write the canary windows into the evidence, then run the gate again\./g,
    '$1 hiç pencere içermiyor. Canary pencerelerini kanıta yazın, sonra kontrolü yeniden çalıştırın.',
  ],
  [
    /\bno window from (?:Prometheus at (\S+)|(\S+)) starts at or after not-before (\S+) \(the promotion\)\./g,
    (_, prom: string | undefined, file: string | undefined, nb: string) =>
      `${prom ? `Prometheus (${prom})` : file} kaynağındaki hiçbir pencere not-before ${nb} (promosyon) anında veya sonrasında başlamıyor.`,
  ],
  [
    /No complete window of (\S+) since not-before (\S+) yet: the first ends at (\S+?)\./g,
    'not-before $2 anından beri henüz $1 uzunluğunda tam bir pencere yok: ilki $3 anında bitiyor.',
  ],
  [
    /Give the step time: raise `wait` so windows measured since the promotion can be judged\./g,
    'Adıma zaman verin: promosyondan beri ölçülen pencereler değerlendirilebilsin diye `wait` değerini artırın.',
  ],
  [
    /\bonly (\d+) windows? of (\S+) since not-before (\S+) \(the promotion\), fewer than min-green-windows (\d+)\./g,
    'not-before $3 (promosyon) anından beri yalnızca $1 adet $2 pencere, min-green-windows $4 değerinden az.',
  ],
  [
    /Give the step time: only windows measured since the promotion and inside the hold count, so `wait` must cover the hold and `min-green-windows` windows of `window`\./g,
    'Adıma zaman verin: yalnızca promosyondan beri ve bekleme içinde ölçülen pencereler sayılır, yani `wait` beklemeyi ve `window` uzunluğunda `min-green-windows` pencereyi kapsamalı.',
  ],
  [
    /\bwindow (#\d+) ([\d:]+–[\d:]+) starts (\S+) after (#\d+) ([\d:]+–[\d:]+) ended: that time was not measured, so the row restarts at \1\./g,
    '$1 $2 penceresi $4 $5 bittikten $3 sonra başlıyor: o süre ölçülmedi, yani seri $1 ile yeniden başlıyor.',
  ],
  [
    /\b(\d+) of the (\d+) windows in (\S+) repeat or overlap, so they cannot count as separate windows: /g,
    '$3 içindeki $2 pencerenin $1 tanesi tekrarlıyor veya çakışıyor, yani ayrı pencereler sayılamaz: ',
  ],
  [
    /Could not look for abort triggers: none of the (\d+) windows from (?:Prometheus at (\S+)|(\S+)) has usable numbers \(see the table\)\./g,
    (_, n: string, prom: string | undefined, file: string | undefined) =>
      `Abort tetikleyicilerine bakılamadı: ${prom ? `Prometheus (${prom})` : file} kaynağındaki ${n} pencerenin hiçbirinde kullanılabilir sayı yok (tabloya bakın).`,
  ],
  [
    /give `source` \(an evidence JSON file or URL\) or `prometheus-url`\./g,
    '`source` (bir kanıt JSON dosyası veya URL’i) ya da `prometheus-url` verin.',
  ],
  [
    /The age of the evidence from (\S+) cannot be established: it holds no timestamp \(([^)]+)\), the server sent no Last-Modified header, and its windows carry no start or end times, so they may be from any day\. Write `generated_at` \(ISO 8601\) into the evidence or serve it with Last-Modified\./g,
    '$1 kaynağındaki kanıtın yaşı belirlenemiyor: zaman damgası yok ($2), sunucu Last-Modified başlığı göndermedi ve pencereleri başlangıç veya bitiş zamanı taşımıyor, yani herhangi bir günden olabilirler. Kanıta `generated_at` (ISO 8601) yazın ya da onu Last-Modified ile sunun.',
  ],
  [/The canary evidence could not be read: /g, 'Canary kanıtı okunamadı: '],
  [
    /(\S+) is not JSON \((.+?)\); expected the runbook shape (.+?) or the raw shape (.+?)\. (?=Point)/g,
    '$1 JSON değil ($2); beklenen: runbook biçimi $3 veya ham biçim $4. ',
  ],
  [
    /Point `source` at the evidence JSON \(runbook or raw shape\) and run the gate again\./g,
    '`source` girdisini kanıt JSON’una (runbook veya ham biçim) yöneltin ve kontrolü yeniden çalıştırın.',
  ],
  [/\bthe evidence URL (\S+) answered HTTP (\d+), not 2xx\./g, 'kanıt URL’i $1 HTTP $2 yanıtı verdi, 2xx değil.'],
  [/\bthe evidence URL (\S+) /g, 'kanıt URL’i $1 '],
  [/\bthe evidence file (\S+) does not exist\./g, 'kanıt dosyası $1 yok.'],
  [
    /The canary was not judged: the recorded baseline `baseline-file` (\S+) /g,
    'Canary değerlendirilmedi: kaydedilmiş baseline `baseline-file` $1 ',
  ],
  [
    /(?<=baseline-file` \S+ )does not exist: record it in pre-flight with `record-baseline` and carry the file to this step\./g,
    'yok: pre-flight’ta `record-baseline` ile kaydedin ve dosyayı bu adıma taşıyın.',
  ],
  [/(?<=baseline-file` \S+ )is not JSON\./g, 'JSON değil.'],
  [
    /(?<=baseline-file` \S+ )is not a recorded canary baseline \(`format` (\S+), not ("[^"]*")\)\./g,
    (_, f: string, want: string) => `kaydedilmiş bir canary baseline’ı değil (\`format\` ${f === 'nothing' ? 'yok' : f}, ${want} değil).`,
  ],
  [
    /(?<=baseline-file` \S+ )was recorded (\S+) ago \((\S+)\), longer ago than max-age (\S+): record it again in this cutover's pre-flight\./g,
    '$1 önce kaydedildi ($2), max-age $3 değerinden daha önce: bu cutover’ın pre-flight’ında yeniden kaydedin.',
  ],
  [
    /(?<=baseline-file` \S+ )was recorded from Prometheus, but this gate reads evidence JSON: its numbers say nothing about this canary\./g,
    'Prometheus’tan kaydedildi, ama bu kontrol kanıt JSON’u okuyor: sayıları bu canary hakkında hiçbir şey söylemez.',
  ],
  [
    /The evidence from (\S+) is (\S+) old \(`generated_at` (\S+)\), older than max-age (\S+): its windows are not the canary of now\. Regenerate the evidence, or raise `max-age` if this age is expected\./g,
    '$1 kaynağındaki kanıt $2 eski (`generated_at` $3), max-age $4 değerinden eski: pencereleri şimdiki canary değil. Kanıtı yeniden üretin ya da bu yaş bekleniyorsa `max-age` değerini artırın.',
  ],
  [
    /The evidence from (\S+) cannot be dated: `generated_at` is ("[^"]*"), not an ISO 8601 time or Unix seconds\. Fix the timestamp; the file or HTTP dates are not used instead, as the evidence claims a time of its own\./g,
    '$1 kaynağındaki kanıt tarihlendirilemiyor: `generated_at` değeri $2, bir ISO 8601 zamanı veya Unix saniyesi değil. Zaman damgasını düzeltin; kanıt kendi zamanını iddia ettiği için yerine dosya veya HTTP tarihleri kullanılmaz.',
  ],
  [
    /The hold of (\S+) since the promotion \(`not-before`\) at (\S+) was not over after watching for (\S+) \((\d+) evaluations\): (\S+) of it had passed, and the step may pass only from (\S+?)\. The hold starts (\S+) after the gate did: check `not-before` and the clocks\. Give `wait` at least the time left of the hold\./g,
    '$2 anındaki promosyondan (`not-before`) beri $1 bekleme, $3 izlendikten sonra ($4 değerlendirme) bitmedi: $5 geçmişti ve adım ancak $6 anından itibaren geçebilir. Bekleme kontrolden $7 sonra başlıyor: `not-before` değerini ve saatleri kontrol edin. `wait` değerini en az beklemenin kalan süresi kadar verin.',
  ],
  [/^(\d+) windows repeat or overlap another$/, '$1 pencere tekrarlıyor veya diğeriyle çakışıyor'],
  [
    /^(\d+) green windows in a row, each with pass: true and burst ≤ (\S+)$/,
    'art arda $1 yeşil pencere, her biri pass: true ve burst ≤ $2',
  ],
  [/^(\S+) of (\S+) held$/, '$2 beklemenin $1 kadarı geçti'],
  [/^at most max-age (\S+) old$/, 'en fazla max-age $1 eski'],
  [
    /^hold (\S+) since (\S+), then (\d+) green windows in a row inside it$/,
    '$2 anından beri $1 bekleme, sonra içinde art arda $3 yeşil pencere',
  ],
  [/^no window with burst > (\S+)$/, 'burst > $1 olan pencere yok'],
  ...(
    [
      ['a baseline recorded in pre-flight by `record-baseline`', 'pre-flight’ta `record-baseline` ile kaydedilmiş bir baseline'],
      ['no window with usable data', 'kullanılabilir verisi olan pencere yok'],
      ['not readable', 'okunamıyor'],
      ['not usable', 'kullanılamaz'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en}$`), tr]),
  // notify
  [/^(\d+) problems? in (\d+) (?:dosya|files?)$/, '$2 dosyada $1 sorun'],
  [
    /`event: checkpoint` needs `reports` \(a folder of gate reports to summarise\) or `message`; neither was given\./g,
    '`event: checkpoint` için `reports` (özetlenecek gate raporları klasörü) veya `message` gerekir; ikisi de verilmedi.',
  ],
  [
    /`event: phase` needs `message` \(the phase, such as ("[^"]*")\) and `reports` \(its gate reports, whose verdict the message carries\); (`message` was not given|`reports` was not given|neither was given)\./g,
    (_, ex: string, why: string) =>
      `\`event: phase\` için \`message\` (aşama, örneğin ${ex}) ve \`reports\` (mesajın sonucunu taşıdığı gate raporları) gerekir; ${why === 'neither was given' ? 'ikisi de verilmedi' : `${why.slice(0, why.indexOf(' '))} verilmedi`}.`,
  ],
  [
    /\ban https:\/\/ webhook URL \(http:\/\/ only for localhost\), without (\S+):password@, such as (\S+?)\.$/g,
    'bir https:// webhook URL’i (http:// yalnızca localhost için), $1:password@ olmadan, örneğin $2.',
  ],
  [/^HTTP 2xx within (\S+)$/, '$1 içinde HTTP 2xx'],
  [/^HTTP (\d+) in (\S+)$/, '$2 içinde HTTP $1'],
  [
    /The (\S+) announcement was not sent to the (\S+) webhook \(host (\S+)\): (.+?), so it is not a GO\. Announce `no-go` or `rollback` instead, or fix the gate and run it again\./g,
    (_, ev: string, fmt: string, host: string, why: string) =>
      `${ev} duyurusu ${fmt} webhook’una (host ${host}) gönderilmedi: ${why
        .replace(/^(\S+) failed$/, '$1 FAIL verdi')
        .replace(/^(\S+) warned and `allow-warn` is not set$/, '$1 uyarı verdi ve `allow-warn` ayarlı değil')
        .replace(
          /^the reports could not be read$/,
          'raporlar okunamadı',
        )}, yani bu bir GO değil. Bunun yerine \`no-go\` veya \`rollback\` duyurun ya da kontrolü düzeltip yeniden çalıştırın.`,
  ],
  [
    /The failed rollback was announced without a reason \(("[^"]*")\); pass what failed \(e\.g\. ("[^"]*")\) in `message`\./g,
    'Başarısız rollback bir sebep olmadan duyuruldu ($1); neyin başarısız olduğunu (örn. $2) `message` içinde verin.',
  ],
  [
    /The rollback was announced without a reason \(("[^"]*")\); pass the trigger \(e\.g\. ("[^"]*")\) in `message`\./g,
    'Rollback bir sebep olmadan duyuruldu ($1); tetikleyiciyi (örn. $2) `message` içinde verin.',
  ],
  [
    /The reports folder (\S+) holds no gate report \(<id>\.json\); run the gates first, or point `reports` at their `report-dir`\./g,
    '$1 rapor klasöründe gate raporu yok (<id>.json); önce kontrolleri çalıştırın ya da `reports` girdisini onların `report-dir` klasörüne yöneltin.',
  ],
  [
    /The reports folder (\S+) does not exist; point `reports` at the `report-dir` of the gates\./g,
    '$1 rapor klasörü yok; `reports` girdisini kontrollerin `report-dir` klasörüne yöneltin.',
  ],
  [
    /The (\S+) webhook \(host (\S+)\) answered HTTP (\d+) to the (\S+) notification( \(answer: ("[^"]*")\))?: it was not delivered; /g,
    (_, fmt: string, host: string, code: string, ev: string, a: string | undefined, answer: string) =>
      `${fmt} webhook’u (host ${host}) ${ev} bildirimine HTTP ${code} yanıtı verdi${a ? ` (yanıt: ${answer})` : ''}: iletilmedi; `,
  ],
  [/\bthe service may be down: try again\. /g, 'servis çökmüş olabilir: yeniden deneyin. '],
  [/\ba webhook does not redirect: check the URL\. /g, 'bir webhook yönlendirme yapmaz: URL’i kontrol edin. '],
  [
    /The (\S+) webhook \(host (\S+)\) did not answer the (\S+) notification within (\S+?): it may not have been delivered\. /g,
    '$1 webhook’u (host $2) $3 bildirimine $4 içinde yanıt vermedi: iletilmemiş olabilir. ',
  ],
  [
    /The (\S+) webhook \(host (\S+)\) could not be reached for the (\S+) notification: /g,
    '$1 webhook’una (host $2) $3 bildirimi için ulaşılamadı: ',
  ],
  [
    /Post the update in the channel by hand, and fix the webhook before the next checkpoint\./g,
    'Güncellemeyi kanala elle yazın ve bir sonraki kontrol noktasından önce webhook’u düzeltin.',
  ],
  [/^a GO by the decision rule before an? (\S+) announcement$/, '$1 duyurusundan önce karar kuralına göre bir GO'],
  // zod's words for a report that does not fit the schema
  [/\bInvalid input: expected (\w+), received (\w+)/g, 'Geçersiz girdi: beklenen $1, gelen $2'],
  [/(\S+) is not a usable gate report: /g, '$1 kullanılabilir bir gate raporu değil: '],
  [/\bit is not JSON \((.+?)\)\./g, 'JSON değil ($1).'],
  [
    /(\S+) is about commit (\w+), not (\w+) being cut over: run the gate again on this commit\./g,
    '$1, cutover yapılan $3 değil, $2 commit’i hakkında: kontrolü bu commit üzerinde yeniden çalıştırın.',
  ],
  [/^no answer within (\S+)$/, '$1 içinde yanıt yok'],
  [/^not sent: (\S+) (FAIL|WARN)$/, (_, id: string, w: string) => `gönderilmedi: ${id} ${w === 'WARN' ? 'UYARI' : 'FAIL'}`],
  [
    /^the rollback (failure )?reason in `message`$/,
    (_, f: string | undefined) => `\`message\` içinde rollback ${f ? 'başarısızlık ' : ''}sebebi`,
  ],
  ...(
    [
      ['no reason given', 'sebep verilmedi'],
      ['not sent: unusable reports', 'gönderilmedi: kullanılamaz raporlar'],
      ['readable gate reports of this commit', 'bu commit’in okunabilir gate raporları'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en}$`), tr]),
  // decide: the sentences its reports, ledgers and bundle most often end in
  [/(`[^`]+`) is stale: /g, '$1 bayat: '],
  [
    /\bit finished (\S+) ago \((\S+)\), longer ago than `max-report-age` \((\S+)\)\./g,
    '$1 önce bitti ($2), `max-report-age` ($3) değerinden daha önce.',
  ],
  [
    /\bit names no commit and no workflow run, so nothing ties it to this cutover; the gates record them from GITHUB_SHA and GITHUB_RUN_ID\./g,
    'ne commit ne workflow çalıştırması belirtiyor, yani onu bu cutover’a hiçbir şey bağlamıyor; kontroller bunları GITHUB_SHA ve GITHUB_RUN_ID’den kaydeder.',
  ],
  [/\bit names no workflow run, and this is run (\d+)\./g, 'workflow çalıştırması belirtmiyor, bu ise $1 çalıştırması.'],
  [/\bit is from repository (\S+), not (\S+?)\./g, '$1 deposundan, $2 değil.'],
  [/\bit is from attempt (\d+), after this attempt (\d+)\./g, '$1. denemeden, bu $2. denemeden sonra.'],
  [/\bit is from commit (\w+), not (\w+)\./g, '$1 commit’inden, $2 değil.'],
  [/\bit is from workflow run (\d+), not this run (\d+)\./g, '$1 workflow çalıştırmasından, bu $2 çalıştırmasından değil.'],
  [/\bits run attempt ("[^"]*") is not a number\./g, 'çalıştırma denemesi $1 bir sayı değil.'],
  [
    /Run the gate again in this run for this commit, then decide again\./g,
    'Kontrolü bu çalıştırmada bu commit için yeniden çalıştırın, sonra yeniden karar verin.',
  ],
  [
    /Required gate (`[^`]+`) has no report \((\S+) is missing; present: (.+?)\)\. Run it before decide with (`[^`]+`), or correct the id in `required`\./g,
    'Zorunlu kontrol $1 için rapor yok ($2 yok; mevcut: $3). Onu decide’dan önce $4 ile çalıştırın ya da `required` içindeki id’yi düzeltin.',
  ],
  [
    /The gate ledger (\S+) is broken: record seq (\d+) \(line (\d+)\) was edited: its contents do not match its hash\./g,
    '$1 kontrol defteri bozuk: seq $2 kaydı ($3. satır) düzenlenmiş: içeriği hash’iyle eşleşmiyor.',
  ],
  [
    /The gate ledger (\S+) is broken: record seq (\d+) \(line (\d+)\) is out of sequence: expected seq (\d+)/g,
    '$1 kontrol defteri bozuk: seq $2 kaydı ($3. satır) sıra dışı: beklenen seq $4',
  ],
  [
    /Evidence changed after the gates ran is NO-GO: keep the folder as evidence and run the gates again into a fresh one\./g,
    'Kontroller çalıştıktan sonra değişen kanıt NO-GO’dur: klasörü kanıt olarak saklayın ve kontrolleri yeni bir klasöre yeniden çalıştırın.',
  ],
  [/The bundle could not be signed: /g, 'Paket imzalanamadı: '],
  [
    /`signing-key` file (\S+) is an EC key on curve (\S+); use Ed25519, EC P-256 \(prime256v1\) or RSA\./g,
    '`signing-key` dosyası $1, $2 eğrisinde bir EC anahtarı; Ed25519, EC P-256 (prime256v1) veya RSA kullanın.',
  ],
  [
    /`signing-key` file (\S+) is encrypted with a passphrase; give an unencrypted PEM key \(kept in a secret\)\./g,
    '`signing-key` dosyası $1 bir parolayla şifrelenmiş; şifresiz bir PEM anahtarı verin (bir secret içinde tutulan).',
  ],
  [
    /`signing-key` file (\S+) is in OpenSSH format; convert it to PKCS#8 PEM with (`[^`]+`)\./g,
    '`signing-key` dosyası $1 OpenSSH biçiminde; onu $2 ile PKCS#8 PEM’e dönüştürün.',
  ],
  [
    /`signing-key` file (\S+) is a (\d+)-bit RSA key; use at least (\d+) bits \(or Ed25519, or EC P-256\)\./g,
    '`signing-key` dosyası $1 $2 bitlik bir RSA anahtarı; en az $3 bit kullanın (ya da Ed25519 veya EC P-256).',
  ],
  [
    /`signing-key` is neither an inline PEM key nor a readable file: (\S+) does not exist\./g,
    '`signing-key` ne satır içi bir PEM anahtarı ne de okunabilir bir dosya: $1 yok.',
  ],
  [
    /\bthe inline `signing-key` holds a public key or certificate; signing needs the private key\./g,
    'satır içi `signing-key` bir açık anahtar veya sertifika içeriyor; imzalamak için özel anahtar gerekir.',
  ],
  [/It was written unsigned, so it is NO-GO\./g, 'İmzasız yazıldı, yani NO-GO.'],
  [
    /The reports folder (\S+) does not exist: there is nothing to decide on, so it is NO-GO\. Run the gates first with (`[^`]+`), or download their report artifacts into it\./g,
    '$1 rapor klasörü yok: karar verilecek bir şey yok, yani NO-GO. Önce kontrolleri $2 ile çalıştırın ya da rapor artifact’lerini oraya indirin.',
  ],
  [
    /(\S+) holds no gate reports: nothing was measured, so nothing can be GO\. Run the gates first with (`[^`]+`), or download their report artifacts into it\./g,
    '$1 içinde gate raporu yok: hiçbir şey ölçülmedi, yani hiçbir şey GO olamaz. Önce kontrolleri $2 ile çalıştırın ya da rapor artifact’lerini oraya indirin.',
  ],
  [/(\S+) cannot be used: (?=it is|its)/g, '$1 kullanılamaz: '],
  [
    /Remove it from the reports folder or run the gate that writes it again; an unreadable report is NO-GO\./g,
    'Onu rapor klasöründen kaldırın ya da onu yazan kontrolü yeniden çalıştırın; okunamayan bir rapor NO-GO’dur.',
  ],
  [/\bit is not a regular file \(it is a folder\)\./g, 'normal bir dosya değil (bir klasör).'],
  [/\bits schemaVersion is (\d+); this version of decide reads (\d+)\./g, 'schemaVersion değeri $1; decide’ın bu sürümü $2 okur.'],
  [/\bit is not valid JSON \(/g, 'geçerli JSON değil ('],
  [
    /\bits id is (`[^`]+`), but a report is named `<id>\.json`: it was renamed or copied\./g,
    'id’si $1, ama bir rapor `<id>.json` olarak adlandırılır: yeniden adlandırılmış veya kopyalanmış.',
  ],
  [
    / A failed gate is NO-GO, with no exceptions: fix it and run the gate again\./g,
    ' FAIL veren bir kontrol istisnasız NO-GO’dur: düzeltin ve kontrolü yeniden çalıştırın.',
  ],
  [/(`[^`]+`) warned: /g, '$1 uyarı verdi: '],
  [
    / NO-GO because `allow-warn` is false: fix what it warns about, or set `allow-warn: true` to accept warnings\./g,
    ' `allow-warn` false olduğu için NO-GO: uyardığı şeyi düzeltin ya da uyarıları kabul etmek için `allow-warn: true` ayarlayın.',
  ],
  [/\bNO-GO until they are named \(or `allow-warn` accepts this\)\./g, 'Belirtilene kadar NO-GO (ya da `allow-warn` bunu kabul eder).'],
  [/^(\d+) breaks? between the ledgers$/, 'defterler arasında $1 kopukluk'],
  [/^(\d+) reports? disagree with the ledger$/, '$1 rapor defterle uyuşmuyor'],
  [
    /An approval records the pre-flight decision (\S+), but `approved-digest` is (\S+?): the approvals are not of one decision\. /g,
    'Bir onay pre-flight kararı $1 değerini kaydediyor, ama `approved-digest` değeri $2: onaylar tek bir karara ait değil. ',
  ],
  [
    /Both `signing-key` and `hmac-key` were given: give one, so the bundle has one signature a verifier can check\. The bundle was written unsigned\./g,
    'Hem `signing-key` hem `hmac-key` verildi: birini verin, böylece paketin doğrulayıcının kontrol edebileceği tek bir imzası olsun. Paket imzasız yazıldı.',
  ],
  [
    /The approved pre-flight decision (\S+) is NO-GO, not GO: nothing approved may be promoted on it\. NO-GO\./g,
    'Onaylanan pre-flight kararı $1 GO değil, NO-GO: onun üzerinde onaylanmış hiçbir şey yükseltilemez. NO-GO.',
  ],
  [
    /The attestation cannot name what it is about: (\S+) does not exist\. NO-GO: give the artifacts' paths as they are after the build\./g,
    'Attestation neyle ilgili olduğunu adlandıramıyor: $1 yok. NO-GO: artifact’lerin build sonrasındaki yollarını verin.',
  ],
  [
    /The attestation was not written: (\S+) already holds something other than an attestation, and decide never overwrites evidence\. NO-GO: give `bundle` a path of its own\./g,
    'Attestation yazılmadı: $1 zaten attestation olmayan bir şey içeriyor ve decide kanıtın üzerine asla yazmaz. NO-GO: `bundle` girdisine kendine ait bir yol verin.',
  ],
  [
    /The decision cannot be attested: no release commit is known \(give `sha`, or run in a workflow where GITHUB_SHA is set\), and an in-toto statement names what it is about\. NO-GO\./g,
    'Karar attest edilemiyor: bilinen bir release commit’i yok (`sha` verin ya da GITHUB_SHA ayarlı bir workflow içinde çalıştırın), oysa bir in-toto statement neyle ilgili olduğunu adlandırır. NO-GO.',
  ],
  [
    /The evidence bundle (\S+) has a file where a folder of its path should be \((\w+)\): without it there is no record of the decision, so it is NO-GO\. Check that `bundle` names a writable path\./g,
    '$1 kanıt paketinin yolunda klasör olması gereken yerde bir dosya var ($2): paket olmadan kararın kaydı yok, yani NO-GO. `bundle` girdisinin yazılabilir bir yol gösterdiğini kontrol edin.',
  ],
  [
    /The pre-flight bundle (\S+) does not exist, so what was approved cannot be compared with what is promoted: NO-GO\./g,
    '$1 pre-flight paketi yok, yani onaylanan, yükseltilenle karşılaştırılamaz: NO-GO.',
  ],
  [/The reports are not from one release: /g, 'Raporlar tek bir release’ten değil: '],
  [/\bcommits disagree: /g, 'commit’ler uyuşmuyor: '],
  [/\bruns disagree: /g, 'çalıştırmalar uyuşmuyor: '],
  [/(?<=uyuşmuyor: [^.]*?)\b(\w+) for ([\w.-]+)(?=[;.]|$)/g, '$1 ($2)'],
  [
    /Give `sha` to say which commit is being cut over, and decide on the reports of one run\./g,
    'Hangi commit’in cutover yapıldığını söylemek için `sha` verin ve tek bir çalıştırmanın raporlarıyla karar verin.',
  ],
  [/The reports in (\S+) are not what (\S+) recorded: /g, '$1 içindeki raporlar $2 defterinin kaydettikleri değil: '],
  [
    /(`[^`]+`) is not the file its gate recorded \(seq (\d+)\): it changed after the gate wrote it/g,
    '$1 kontrolünün kaydettiği dosya değil (seq $2): kontrol yazdıktan sonra değişti',
  ],
  [
    /(`[^`]+`) was never recorded: it was copied in, not written by a gate here/g,
    '$1 hiç kaydedilmedi: buraya kopyalanmış, buradaki bir kontrol tarafından yazılmamış',
  ],
  [/That is NO-GO: run the gates again into a fresh folder\./g, 'Bu NO-GO: kontrolleri yeni bir klasöre yeniden çalıştırın.'],
  [
    /The reviewers approved the pre-flight decision (\S+), but this run went on with (\S+), which is (\S+?): /g,
    'Onaylayıcılar pre-flight kararı $1 değerini onayladı, ama bu çalıştırma $2 ile devam etti, onun değeri $3: ',
  ],
  [
    /(`[^`]+`) says ("[^"]*") but its (\d+) checks add up to ("[^"]*"): the report was edited after the gate wrote it\./g,
    '$1 $2 diyor ama $3 kontrolünün toplamı $4: rapor, kontrol yazdıktan sonra düzenlenmiş.',
  ],
  [
    /(`[^`]+`) was given without (`[^`]+`): an approval is bound to the evidence only by comparing the digest approved with the pre-flight bundle the run went on with\. NO-GO: give both\./g,
    '$1, $2 olmadan verildi: bir onay kanıta ancak onaylanan digest’i çalıştırmanın devam ettiği pre-flight paketiyle karşılaştırarak bağlanır. NO-GO: ikisini de verin.',
  ],
  [
    /The approvals name the pre-flight decision they approved \(([^)]+)\), but neither `preflight-bundle` nor `approved-digest` was given, so whether the run went on with that decision is unknown: NO-GO\. Give both\./g,
    'Onaylar onayladıkları pre-flight kararını adlandırıyor ($1), ama ne `preflight-bundle` ne `approved-digest` verildi, yani çalıştırmanın o kararla devam edip etmediği bilinmiyor: NO-GO. İkisini de verin.',
  ],
  [
    /(\S+) has no ledger\.jsonl: nothing records which gates ran there, so a report could have been added or a failure removed unnoticed\. NO-GO\. /g,
    '$1 içinde ledger.jsonl yok: orada hangi kontrollerin çalıştığını hiçbir şey kaydetmiyor, yani fark edilmeden bir rapor eklenmiş ya da bir başarısızlık silinmiş olabilir. NO-GO. ',
  ],
  [/\bit is not a gate report: /g, 'bir gate raporu değil: '],
  [/\bInvalid (input|option): expected /g, (_, w: string) => `Geçersiz ${w === 'input' ? 'girdi' : 'seçenek'}: beklenen `],
  [/\bone of ("[^"]*"(?:\|"[^"]*")*)/g, 'şunlardan biri: $1'],
  [
    /^a pass report( for commit (\w+) from run (\d+))?$/,
    (_, f: string | undefined, sha: string, run: string) =>
      f ? `${sha} commit’i için ${run} çalıştırmasından bir PASS raporu` : 'bir PASS raporu',
  ],
  [/ (\w{12}) from run (\d+)$/, ' $1, $2 çalıştırmasından'],
  [/^a DSSE envelope of the decision, signed with `signing-key`$/, 'kararın `signing-key` ile imzalanmış bir DSSE zarfı'],
  [/^a bundle signed with `signing-key` or `hmac-key`$/, '`signing-key` veya `hmac-key` ile imzalanmış bir paket'],
  [/^a folder of gate reports$/, 'gate raporlarından oluşan bir klasör'],
  [/^approved is promoted$/, 'onaylanan yükseltiliyor'],
  [/^(\S+) does not exist$/, '$1 yok'],
  // decide's input forms (src/gates/decide/spec.ts, src/core/report.ts, src/core/inputs.ts)
  [
    /\bletters, digits, `\.`, `_` and `-`, starting with a letter or digit, at most (\d+) characters/g,
    'harfler, rakamlar, `.`, `_` ve `-`; bir harf veya rakamla başlayan, en fazla $1 karakter',
  ],
  [/\bgate ids \((.+?)\), one per line or separated by commas/g, 'kontrol id’leri ($1), satır başına bir tane veya virgülle ayrılmış'],
  [/\btrue or false\b/g, 'true veya false'],
  [
    /\ba full commit SHA: (\d+) \(or, in SHA-256 repositories, (\d+)\) hexadecimal digits/g,
    'tam bir commit SHA’sı: $1 (SHA-256 depolarında $2) onaltılık basamak',
  ],
  [
    /\bfolders of gate reports, one per line; a folder may be a glob such as (`[^`]+`)/g,
    'satır başına bir tane, gate rapor klasörleri; bir klasör $1 gibi bir glob olabilir',
  ],
  [/\ba duration above zero, such as (\S+) or (\S+?)(?=[.;]|$)/g, 'sıfırdan büyük bir süre, örneğin $1 veya $2'],
  // decide's approvals: where they came from, why they cannot be taken, then the form they take.
  [/\bthe approvals file (\S+) /g, '$1 onay dosyası '],
  [/\bthe inline `approvals` /g, 'satır içi `approvals` '],
  [
    /\bcannot be recorded: it is (null|an? \w+), not a JSON array of approval records \(or an object with an `approvals` array\), inline or as a path to a JSON file(?=,)/g,
    (_, what: string) =>
      `kaydedilemez: ${what === 'null' ? 'null' : `bir ${what.replace(/^an? /, '')}`}; beklenen: onay kayıtlarından oluşan bir JSON dizisi (ya da \`approvals\` dizisi olan bir nesne), satır içi veya bir JSON dosyasının yolu olarak`,
  ],
  [/\bcannot be recorded: record (\d+) is not a JSON object(?=,)/g, 'kaydedilemez: $1. kayıt bir JSON nesnesi değil'],
  [
    /\bis the gate report (`[^`]+`), not approvals: a report is never counted as an approval \(it is judged as the report it is\)(?=,)/g,
    '$1 gate raporu, onay değil: bir rapor asla onay sayılmaz (olduğu rapor olarak değerlendirilir)',
  ],
  [/\bis (\d+) bytes, more than approvals take \((\d+)\)(?=,)/g, '$1 bayt, onayların alabileceğinden fazla ($2)'],
  [/\bis (a [^,]+?), not a file(?=,)/g, (_, kind: string) => `${kindTr(kind)}, dosya değil`],
  [
    /, so the approvals asked for cannot be recorded: NO-GO\. Give a JSON array of approval records \(or an object with an `approvals` array\), inline or as a path to a JSON file \(e\.g\. approval-guard's output\)\./g,
    ', yani istenen onaylar kaydedilemez: NO-GO. Onay kayıtlarından oluşan bir JSON dizisi (ya da `approvals` dizisi olan bir nesne) verin; satır içi veya bir JSON dosyasının yolu olarak (ör. approval-guard’ın çıktısı).',
  ],
  [
    /\ba JSON array of approval records \(or an object with an `approvals` array\), inline or as a path to a JSON file/g,
    'onay kayıtlarından oluşan bir JSON dizisi (ya da `approvals` dizisi olan bir nesne), satır içi veya bir JSON dosyasının yolu olarak',
  ],
  // The end of a sentence about a path (src/lib/errno.ts), before the `, so …` that follows it.
  [/ does not exist(?=[,:])/g, ' yok'],
  [/ is a folder(?=[,:])/g, ' bir klasör'],
  [/ cannot be opened: permission denied(?=[,:])/g, ' açılamıyor: izin reddedildi'],
  [/ cannot be read \((\w+)\)(?=[,:])/g, ' okunamıyor ($1)'],
  [/\bis not valid JSON(?=,)/g, 'geçerli JSON değil'],
  [/\bit is not a JSON object\./g, 'bir JSON nesnesi değil.'],
  // decide's ledgers: one chain across the run's jobs, or each its own.
  [/The (\d+) ledgers of the run are not one chain: /g, 'Çalıştırmanın $1 defteri tek bir zincir değil: '],
  [
    /\bthe ledger (\S+) continues the head (\w+), which is the last record of no ledger here: the ledger of the job before it is missing, or was cut short or extended after it handed its head on/g,
    '$1 defteri $2 başını sürdürüyor, ama bu, buradaki hiçbir defterin son kaydı değil: ondan önceki işin defteri eksik ya da başını devrettikten sonra kısaltılmış veya uzatılmış',
  ],
  [
    /\bnone of the (\d+) ledgers starts the chain \(every one continues another's head\): the ledger of the first job is missing/g,
    '$1 defterin hiçbiri zinciri başlatmıyor (her biri bir diğerinin başını sürdürüyor): ilk işin defteri eksik',
  ],
  [
    /\b(\d+) ledgers start a chain of their own \(([^)]*)\): every job after the first must continue the ledger of the job before it \(CUTOVER_LEDGER_PREV\), so these are not one run's chain/g,
    '$1 defter kendi zincirini başlatıyor ($2): ilkinden sonraki her iş, kendinden önceki işin defterini sürdürmeli (CUTOVER_LEDGER_PREV), yani bunlar tek bir çalıştırmanın zinciri değil',
  ],
  [
    /(\S+(?: and \S+)*) both continue the head (\w+): the chain forks, so one of them is not the job that followed/g,
    (_, files: string, head: string) =>
      `${joined(files)} aynı ${head} başını sürdürüyor: zincir çatallanıyor, yani biri ardından gelen iş değil`,
  ],
  [
    /\bthe ledger (\S+) is not reached from the start of the chain: the ledgers before it do not link up/g,
    '$1 defterine zincirin başından ulaşılmıyor: ondan önceki defterler birbirine bağlanmıyor',
  ],
  [/ \(\+(\d+) more\)(?=\. )/g, ' (+$1 tane daha)'],
  [
    /\bA job's records were removed, reordered or added, or a job's evidence is missing: NO-GO\./g,
    'Bir işin kayıtları silinmiş, yeniden sıralanmış veya eklenmiş ya da bir işin kanıtı eksik: NO-GO.',
  ],
  [
    /(\S+(?:, \S+)*) continues? the head of another ledger, but `ledger-chain: separate` judges each ledger as a chain of its own, so the records before (?:it|them) cannot be accounted for: NO-GO\. Set `ledger-chain: linked` to judge the run's ledgers as one chain\./g,
    '$1 başka bir defterin başını sürdürüyor, ama `ledger-chain: separate` her defteri kendi başına bir zincir olarak değerlendirir, yani öncesindeki kayıtların hesabı verilemez: NO-GO. Çalıştırmanın defterlerini tek bir zincir olarak değerlendirmek için `ledger-chain: linked` ayarlayın.',
  ],
  [
    /^one chain: the first job's ledger starts it, each later job's continues the one before$/,
    'tek bir zincir: ilk işin defteri onu başlatır, sonraki her işinki bir öncekini sürdürür',
  ],
  [/^ledgers that each start their own chain \((`[^`]+`)\)$/, 'her biri kendi zincirini başlatan defterler ($1)'],
  [/^(\d+) ledgers? continue another$/, '$1 defter bir başkasını sürdürüyor'],
  [
    /Keep each job's ledger with its reports \(every gate appends to it\), and run the gates again into a fresh folder if it was lost\./g,
    'Her işin defterini raporlarıyla birlikte saklayın (her kontrol ona kayıt ekler) ve kaybolduysa kontrolleri yeni bir klasöre yeniden çalıştırın.',
  ],
  // decide's approval binding and attestation
  [
    /: the pre-flight changed after the approval \(a re-run with other reports\)\. NO-GO: the new pre-flight decision needs its own approval\./g,
    ': pre-flight onaydan sonra değişti (başka raporlarla yeniden çalıştırma). NO-GO: yeni pre-flight kararının kendi onayı gerekir.',
  ],
  [
    /(`sha256:`) and (\d+) lowercase hex digits \(decide's `digest` output\), but it holds (.+?): NO-GO\./g,
    '$1 ve $2 küçük harf onaltılık basamak (decide’ın `digest` çıktısı), ama değeri $3: NO-GO.',
  ],
  [/^(\d+) characters$/, '$1 karakter'],
  [/^stale: /, 'bayat: '],
  [
    /^(?:bayat: )?(pass|warn|fail), commit (\w+), run (\S+?)(?: attempt (\S+))?$/,
    (all: string, st: string, sha: string, run: string, att: string | undefined) =>
      `${all.startsWith('bayat: ') ? 'bayat: ' : ''}${st === 'pass' ? 'PASS' : st === 'warn' ? 'UYARI' : 'FAIL'}, commit ${sha}, çalıştırma ${run === 'none' ? 'yok' : run}${att ? ` deneme ${att}` : ''}`,
  ],
  [/^says (pass|warn|fail), checks say (pass|warn|fail)$/, '$1 diyor, kontroller $2 diyor'],
  [/^not written \((\w+)\)$/, 'yazılmadı ($1)'],
  [/^cannot be read \((\w+)\)$/, 'okunamıyor ($1)'],
  // decide's refusals that its suites do not reach: the settings, the folder patterns, the bundle's and attestation's paths.
  [
    /The decision settings could not be read: (.+?)\. Without them the rule is unknown, so it is NO-GO\./g,
    'Karar ayarları okunamadı: $1. Onlar olmadan kural bilinmiyor, yani NO-GO.',
  ],
  [
    /`reports` names (`[^`]+`), which matches no folder: there is nothing to decide on there, so it is NO-GO\. Download the report artifacts first, or correct the pattern\./g,
    '`reports` $1 değerini gösteriyor, bu hiçbir klasörle eşleşmiyor: orada karar verilecek bir şey yok, yani NO-GO. Önce rapor artifact’lerini indirin ya da deseni düzeltin.',
  ],
  [/^(`[^`]+`) matches no folder$/, '$1 hiçbir klasörle eşleşmiyor'],
  [/^config unusable$/, 'config kullanılamaz'],
  [/^the `decide:` block of `config`$/, '`config` içindeki `decide:` bloğu'],
  [/^a bundle path that holds no evidence$/, 'kanıt içermeyen bir paket yolu'],
  [
    /The evidence bundle was not written: `bundle` names (\S+), which (is the approvals file|is the gate ledger|is the gate ledger's lock|is a gate report of the folder|the ledger records as the report of (`[^`]+`))\. decide never overwrites evidence, so it is NO-GO; give `bundle` a path of its own \(the default is (\S+) in the reports folder\)\./g,
    (_, where: string, which: string, id: string | undefined, dflt: string) =>
      `Kanıt paketi yazılmadı: \`bundle\` ${where} yolunu gösteriyor, bu ${
        id
          ? `defterin ${id} raporu olarak kaydettiği dosya`
          : {
              'is the approvals file': 'onay dosyası',
              'is the gate ledger': 'kontrol defteri',
              "is the gate ledger's lock": 'kontrol defterinin kilidi',
              'is a gate report of the folder': 'klasörün bir gate raporu',
            }[which]
      }. decide kanıtın üzerine asla yazmaz, yani NO-GO; \`bundle\` girdisine kendine ait bir yol verin (varsayılan, rapor klasöründeki ${dflt}).`,
  ],
  [
    /^not written: which (is the approvals file|is the gate ledger|is the gate ledger's lock|is a gate report of the folder|the ledger records as the report of (`[^`]+`))$/,
    (_, which: string, id: string | undefined) =>
      `yazılmadı: ${
        id
          ? `defterin ${id} raporu olarak kaydettiği dosya`
          : {
              'is the approvals file': 'onay dosyası',
              'is the gate ledger': 'kontrol defteri',
              "is the gate ledger's lock": 'kontrol defterinin kilidi',
              'is a gate report of the folder': 'klasörün bir gate raporu',
            }[which]
      }`,
  ],
  [
    /The pre-flight bundle (\S+) (is larger than any bundle|bir klasör|is (a [^,]+?)|cannot be opened: permission denied|cannot be read \((\w+)\)), so what was approved cannot be compared with what is promoted: NO-GO\./g,
    (_, file: string, why: string, kind: string | undefined, code: string | undefined) =>
      `${file} pre-flight paketi ${
        why === 'is larger than any bundle'
          ? 'herhangi bir paketten büyük'
          : why.startsWith('cannot be opened')
            ? 'açılamıyor: izin reddedildi'
            : code
              ? `okunamıyor (${code})`
              : kindTr(kind ?? 'a folder')
      }, yani onaylanan, yükseltilenle karşılaştırılamaz: NO-GO.`,
  ],
  [
    /(\S+) is not a decision bundle, so no approval can be of it: NO-GO\./g,
    '$1 bir karar paketi değil, yani hiçbir onay ona ait olamaz: NO-GO.',
  ],
  [
    /The approved pre-flight decision is about commit (\w+), not (\w+): NO-GO\./g,
    'Onaylanan pre-flight kararı $2 değil, $1 commit’i hakkında: NO-GO.',
  ],
  [
    /The attestation (\S+) (.+?) \((\w+)\): the decision cannot be verified by a third party, so it is NO-GO\./g,
    (_, file: string, why: string, code: string) =>
      `${file} attestation’ı ${fsTr(why)} (${code}): karar üçüncü bir tarafça doğrulanamaz, yani NO-GO.`,
  ],
  [/^not a bundle$/, 'paket değil'],
  [/^another commit$/, 'başka bir commit'],
  [/^only (`[^`]+`) given$/, 'yalnızca $1 verildi'],
  [/^approved (\w+), promoted (\w+)$/, 'onaylanan $1, yükseltilen $2'],
  [/^broken: (\d+) problems?$/, 'bozuk: $1 sorun'],
  [/^(\d+) subjects? unreadable$/, '$1 konu okunamıyor'],
  [
    /The attestation cannot name what it is about: (.+?)\. NO-GO: give the artifacts' paths as they are after the build\./g,
    (_, problems: string) =>
      `Attestation neyle ilgili olduğunu adlandıramıyor: ${problems
        .replace(/ does not exist(?=;|$)/g, ' yok')
        .replace(/ is (a [^;]+?)(?=;|$)/g, (_m, kind: string) => ` ${kindTr(kind)}`)
        .replace(/ cannot be read \((\w+)\)(?=;|$)/g, ' okunamıyor ($1)')}. NO-GO: artifact’lerin build sonrasındaki yollarını verin.`,
  ],
  [/^not written: the path holds other evidence$/, 'yazılmadı: yol başka bir kanıt içeriyor'],
  [/^not written: /, 'yazılmadı: '],
  ...(
    [
      ['no report', 'rapor yok'],
      ['does not exist', 'yok'],
      ['is a folder', 'bir klasör'],
      ['a folder', 'bir klasör'],
      ['cannot be opened: permission denied', 'açılamıyor: izin reddedildi'],
      ['unreadable report', 'okunamayan rapor'],
      ['both keys given', 'iki anahtar da verildi'],
      ['unusable key', 'kullanılamaz anahtar'],
      ['pre-flight bundle unreadable', 'pre-flight paketi okunamıyor'],
      ['approvals disagree', 'onaylar uyuşmuyor'],
      ['in-toto attestation', 'in-toto attestation'],
      ['every `attest-subjects` file hashed', 'her `attest-subjects` dosyası hash’lendi'],
      ['no ledger', 'defter yok'],
      ['not approval records', 'onay kayıtları değil'],
      ['not JSON', 'JSON değil'],
      ['a gate report', 'bir gate raporu'],
      ['too large', 'çok büyük'],
      ['not a digest', 'digest değil'],
      ['nothing to compare with', 'karşılaştırılacak bir şey yok'],
      ['no release commit', 'release commit’i yok'],
      ['the release commit as the statement subject', 'statement’ın konusu olarak release commit’i'],
      ['the pre-flight decision the reviewers approved, byte for byte', 'onaylayıcıların onayladığı pre-flight kararı, bayt bayt'],
    ] as const
  ).map(([en, tr]): Rule => [new RegExp(`^${en}$`), tr]),
]

const PHRASES: Record<Exclude<Language, 'en'>, Rule[]> = {
  tr: [
    ...SENTENCES_TR,
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
        ['ledger links', 'defter bağlantıları'],
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
