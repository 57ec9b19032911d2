// `language: tr` on the fail paths: every way the gates below fail or warn (the fail-closed tables,
// imported whole so their cases are the cases here) is read again through the Turkish dictionary,
// and the sentence a person reads must hold no English, keep every value the English one named
// (URLs, numbers, ids, quoted text) and stay masked where the English one was.
import { describe, expect, it, vi } from 'vitest'
import type { GateResult } from '../../src/core/result.js'
import { localizeResult, renderSummary } from '../../src/core/summary.js'

const seen = vi.hoisted(() => [] as GateResult[])

// Every result the tables' runs return is kept: the real gate ran, this only remembers its answer.
vi.mock('../../src/core/gate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/gate.js')>()
  return {
    ...real,
    runGate: async (...args: Parameters<typeof real.runGate>) => {
      const r = await real.runGate(...args)
      seen.push(r)
      return r
    },
  }
})

// The gates whose failing and warning sentences are all in the dictionary. A gate joins by its table.
import './fail-closed.approval-guard.test.js'
import './fail-closed.canary.test.js'
import './fail-closed.command.test.js'
import './fail-closed.dr-drill.test.js'
import './fail-closed.evidence.test.js'
import './fail-closed.key-rotation.test.js'
import './fail-closed.policy-signatures.test.js'
import './fail-closed.readyz.test.js'
import './fail-closed.release-freeze.test.js'
import './fail-closed.security-alerts.test.js'
import './fail-closed.smoke.test.js'
import './fail-closed.sql.test.js'
import './fail-closed.window.test.js'
// notify has no fail-closed table: its own suites drive its refusals.
import '../gates/notify/notify-events.test.js'
import '../gates/notify/notify-limits.test.js'
import '../gates/notify/notify.test.js'
// decide has no fail-closed table either: its suites that run the gate (runDecide) drive its refusals. verify.test.ts
// stays out: its byte-flip property can crash bundle verify (a defect of verify, not of the words), which would redden this test.
import '../gates/decide/approval-binding.test.js'
import '../gates/decide/attestation.test.js'
import '../gates/decide/attestation-docs.test.js'
import '../gates/decide/chain-across-jobs.test.js'
import '../gates/decide/decide.test.js'
import '../gates/decide/ledger.test.js'
import '../gates/decide/seed-layout.test.js'
import '../gates/decide/sign.test.js'
import '../gates/decide/workflow-evidence.test.js'

/** Words no Turkish sentence of ours holds; matched as whole words (Turkish letters count as letters). */
const ENGLISH =
  /(?<![\p{L}_'’-])(the|is|are|was|were|not|no|expected|could|found|missing|because|check|answered|within|give|of|and|or|to|with|from|has|than|this|that|which|its|gave|did|does|for|on|at|by|then|but|must|cannot|failed|timed out)(?![\p{L}_'’-])/iu

/**
 * Values a sentence quotes stay as they were said: code spans, quoted text, URLs, digests, and the
 * words of other programs (PostgreSQL's error after `failed on …:`, V8's JSON parser, what a
 * script, psql or pg_restore printed before it exited, OpenSSL's and the YAML parser's errors, GitHub's own message beside its HTTP status, its settings page's labels, and PromQL) which the gate shows verbatim because they
 * are evidence. decide quotes a failing or warning gate's own message as that gate wrote it: the fixtures'
 * made-up one (tests/gates/decide/support.ts) is such a quote, and each real gate's own words are held by its table.
 */
const VALUES = [
  /(?:koduyla çıktı|YAML veya JSON değil|el sıkışması başarısız): .*?\.(?= [A-ZÇĞİÖŞÜ`]|$)/g,
  /(?<=geçerli JSON değil )\([\s\S]*\)(?=\. Onu rapor klasöründen)/g,
  /\banswered \d+, the (?:fail|warn) reason\b/g,
  /\b[\w.-]*\w\.\w+\b/g,
  /yanıtı verdi \([^)]*\)/g,
  /\(Settings → [^)]*\)/g,
  /\(sorgu: .*?\)(?=;|\.(?: |$))/g,
  /`[^`]*`/g,
  /"(?:[^"\\]|\\.)*"/g,
  /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi,
  /\b[0-9a-f]{7,}\b/g,
  // Key fingerprints and other base64 made from keys generated at test time: a run's random bytes may
  // spell "ON" or "bY", which is no English left in a sentence.
  /\bSHA256:[A-Za-z0-9+/]+=*/g,
  /[A-Za-z0-9+/]{24,}={0,2}/g,
  /: [^:]+ \(SQLSTATE \w+\)/g,
  /\([0-9A-Z]{5}: [^)]*\)/g,
  /\([A-Z][A-Z0-9_]{3,}\b[^)]*\)/g,
  /\((?:Expected|Unexpected) [^()]*(\([^)]*\))?\)/g,
]
const withoutValues = (text: string) => VALUES.reduce((t, re) => t.replace(re, ' '), text)

/** What must come through translation unchanged: every URL, code span, quoted text and number. */
const valuesOf = (text: string) => [
  ...(text.match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)]+[^\s).,;:]/gi) ?? []),
  ...(text.match(/`[^`]+`/g) ?? []),
  ...(text.match(/"(?:[^"\\]|\\.)*"/g) ?? []),
  ...(text.match(/\d+(?:[.:]\d+)*/g) ?? []),
]

const notPassing = (r: GateResult) => r.checks.filter((c) => c.status !== 'pass')

describe('language: tr on every fail path of the tables above', () => {
  it('says every failing and warning sentence in Turkish, with its values and masks intact', () => {
    const failing = seen.filter((r) => r.status !== 'pass')
    // The tables ran here (the imports above): without their results this test would prove nothing.
    expect(failing.length).toBeGreaterThan(100)
    const english: string[] = []
    for (const r of failing) {
      const tr = localizeResult(r, 'tr')
      const pairs = notPassing(r).flatMap((c, i) => {
        const t = notPassing(tr)[i]
        return [
          [c.message, t.message],
          [c.observed, t.observed],
          [c.expected, t.expected],
          [c.name, t.name],
        ] as [string, string][]
      })
      pairs.push([r.summary, tr.summary])
      for (const [en, said] of pairs) {
        const word = withoutValues(said).match(ENGLISH)
        if (word) english.push(`${r.gate} (“${word[0]}”): ${said}`)
        for (const v of valuesOf(en)) expect(said, `${r.gate}: ${en}`).toContain(v)
        expect(said.split('***').length, `${r.gate}: a mask was lost: ${said}`).toBe(en.split('***').length)
        if (en.includes('(value hidden)')) expect(said).toContain('(değer gizli)')
      }
    }
    expect(english, `${english.length} sentence(s) still English`).toEqual([])
  })

  it('puts the Turkish sentence in the job summary’s decision row', () => {
    const r = seen.find((x) => x.gate === 'readyz' && /could not be reached: connection refused/.test(x.checks[0]?.message ?? ''))
    expect(r, 'the readyz table has a refused-connection row').toBeDefined()
    const md = renderSummary([{ result: r!, category: 'Infrastructure', criteria: 'Readyz endpoint healthy' }], {
      language: 'tr',
      details: false,
    })
    const row = md.split('\n').find((l) => l.includes('`readyz`') && l.includes('FAIL'))
    expect(row).toMatch(/adresine ulaşılamadı: bağlantı reddedildi \(ECONNREFUSED\)/)
    expect(md).not.toMatch(/could not be reached|connection refused|Check that/)
  })
})
