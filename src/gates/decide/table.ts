/**
 * The Go/No-Go decision table after the runbook's template (`seeds/production-cutover-checklist.md`:
 * Category | Criteria | Status | Notes), one row per check decide made, as markdown for the job
 * summary and as plain text for the terminal.
 */
import { cell as mdCell } from '../../lib/markdown.js'
import { WORDS, categoryIn, translate, type Language } from '../../core/i18n.js'
import type { Check, Status } from '../../core/result.js'

/** Cells of the decision table, cut as the summary's are. */
const cell = (text: string) => mdCell(text, 400)

export interface Criteria {
  en: string
  tr: string
}

export interface DecisionRow {
  category: string
  criteria: Criteria
  /** The gate id the row is about, when it is about one. */
  id?: string
  status: Status
  note: string
}

/** What decide calls its own checks (names with a space, so no gate id can collide with them). */
export const OWN_CHECKS: Record<string, Criteria> = {
  'reports folder': { en: 'Gate reports collected', tr: 'Kontrol raporları toplandı' },
  'required gates': { en: 'Required gates named', tr: 'Zorunlu kontroller belirtildi' },
  'commit and run': { en: 'Reports from this commit and run', tr: 'Raporlar bu commit ve çalıştırmaya ait' },
  'recorded approvals': { en: 'Approvals recorded', tr: 'Onaylar kaydedildi' },
  'ledger chain': { en: 'Gate ledger intact', tr: 'Kontrol defteri bozulmamış' },
  'ledger links': { en: 'One ledger chain across the jobs', tr: 'İşler boyunca tek defter zinciri' },
  'bundle signature': { en: 'Evidence bundle signed', tr: 'Kanıt paketi imzalı' },
  'evidence bundle': { en: 'Evidence bundle written', tr: 'Kanıt paketi yazıldı' },
  'in-toto attestation': { en: 'Decision attested (in-toto, DSSE)', tr: 'Karar onaylı (in-toto, DSSE)' },
  'approved is promoted': { en: 'What was approved is what is promoted', tr: 'Onaylanan, yükseltilenle aynı' },
}

const MISSING: Criteria = { en: 'Required gate ran', tr: 'Zorunlu kontrol çalıştı' }
const UNREADABLE: Criteria = { en: 'Gate report readable', tr: 'Kontrol raporu okunabilir' }

export interface GateInfo {
  category: string
  criteria: Criteria
}

/** What a row shows of the report it judges: its criterion as configured and what it measured. */
export interface ReportFacts {
  criteria?: Criteria
  measured: string
}

/**
 * Rows from decide's checks. `reports` maps a report id to the gate that wrote it (absent for a
 * file that was not a readable report); `gateInfo` gives a gate's category and criteria.
 */
export function decisionRows(
  checks: Check[],
  reports: Map<string, string | undefined>,
  gateInfo: (gate: string) => GateInfo | undefined,
  facts: (id: string) => ReportFacts | undefined = () => undefined,
): DecisionRow[] {
  const rows = checks.map((c) => {
    // A passing gate's row says what the gate measured; decide's own `pass, commit …` is bookkeeping.
    const note = c.status === 'pass' ? (facts(c.name)?.measured ?? c.observed) : c.message
    const own = OWN_CHECKS[c.name]
    if (own) return { category: 'Ops', criteria: own, status: c.status, note }
    if (!reports.has(c.name)) return { category: '—', criteria: MISSING, id: c.name, status: c.status, note }
    const gate = reports.get(c.name)
    if (gate === undefined) return { category: '—', criteria: UNREADABLE, id: c.name, status: c.status, note }
    const info = gateInfo(gate)
    const criteria = facts(c.name)?.criteria ?? info?.criteria ?? { en: gate, tr: gate }
    return { category: info?.category ?? 'Other', criteria, id: c.name, status: c.status, note }
  })
  // The template's order: the gates by category (Infrastructure, Security, Canary, Ops, then any
  // other), then decide's own rows last. The sort is stable, so ties keep the order they came in.
  const rank = (r: DecisionRow) =>
    r.id === undefined ? CATEGORY_ORDER.length + 2 : (CATEGORY_RANK.get(r.category) ?? CATEGORY_ORDER.length)
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r)
}

const CATEGORY_ORDER = ['Infrastructure', 'Security', 'Canary', 'Ops']
const CATEGORY_RANK = new Map(CATEGORY_ORDER.map((c, i) => [c, i]))

function criteriaText(r: DecisionRow, language: Language, code: boolean): string {
  const name = r.criteria[language]
  return r.id ? `${name} (${code ? `\`${r.id}\`` : r.id})` : name
}

export function renderDecisionMarkdown(rows: DecisionRow[], language: Language): string {
  const w = WORDS[language].decisionTable
  const lines = [`| ${w.columns.join(' | ')} |`, '|---|---|---|---|']
  for (const r of rows) {
    lines.push(
      `| **${cell(categoryIn(r.category, language))}** | ${cell(criteriaText(r, language, true))} | ${w.verdict[r.status]} | ${cell(translate(r.note, language))} |`,
    )
  }
  return lines.join('\n')
}

/** The template's "Final decision" checkboxes, ticked. */
export function renderFinalDecision(go: boolean, language: Language): string {
  const w = WORDS[language].decisionTable
  return [`**${w.final}**`, '', `- [${go ? 'x' : ' '}] **GO**: ${w.go}`, `- [${go ? ' ' : 'x'}] **NO-GO**: ${w.noGo}`].join('\n')
}

/** Plain columns for a terminal; the notes column runs on unpadded. */
export function renderDecisionText(rows: DecisionRow[], language: Language): string {
  const w = WORDS[language].decisionTable
  const body = [
    w.columns,
    ...rows.map((r) => [
      categoryIn(r.category, language),
      criteriaText(r, language, false),
      w.plain[r.status],
      translate(r.note, language).replace(/\s+/g, ' '),
    ]),
  ]
  const widths = [0, 1, 2].map((i) => Math.min(48, Math.max(...body.map((row) => [...row[i]].length))))
  return body.map((row) => [...row.slice(0, 3).map((c, i) => c.padEnd(widths[i])), row[3]].join('  ').trimEnd()).join('\n')
}
