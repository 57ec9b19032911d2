/**
 * Words of the job summary and check-run text. The Turkish follows the wording of the
 * payments runbook (`seeds/payments-cutover-runbook.tr.md`): PASS/FAIL, GO/NO-GO Kararı.
 */
import type { Status } from './result.js'

export type Language = 'en' | 'tr'

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
    notes: string
  }
  counts: (gates: number, checks: number) => string
  commit: string
  truncated: (omitted: number, where: string) => string
  details: string
  reports: string
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
      notes: 'Notes',
    },
    counts: (g, c) => `${g} gate${g === 1 ? '' : 's'}, ${c} check${c === 1 ? '' : 's'}`,
    commit: 'commit',
    truncated: (n, where) => `⚠️ Summary truncated to stay under GitHub's 1 MiB limit: ${n} more row(s) are in ${where}.`,
    details: 'Details',
    reports: 'the JSON reports',
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
      notes: 'Notlar',
    },
    counts: (g, c) => `${g} kontrol noktası, ${c} kontrol`,
    commit: 'commit',
    truncated: (n, where) => `⚠️ Özet GitHub'ın 1 MiB sınırı için kısaltıldı: ${n} satır daha ${where} içinde.`,
    details: 'Ayrıntılar',
    reports: 'JSON raporları',
  },
}
