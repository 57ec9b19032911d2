/** What decide shows: the decision table with each gate's category and criteria, the timeline, the approvals and the bundle. */
import path from 'node:path'
import type { GateRunContext } from '../../core/gate.js'
import type { Check } from '../../core/result.js'
import type { Bundle } from './bundle.js'
import type { ReportFile } from './reports.js'
import { ALG_NAMES } from './sign.js'
import { decisionRows, renderDecisionMarkdown, renderFinalDecision, type GateInfo } from './table.js'
import { renderGantt } from './timeline.js'
import { cell } from '../../lib/markdown.js'
import { WORDS, categoryIn, type Language } from '../../core/i18n.js'
import { measuredOf } from '../../core/summary.js'

export const short = (sha: string | undefined) => (sha ? sha.slice(0, 12) : 'none')

/** Paths in messages: relative to the workspace when inside it. */
export function shown(ctx: GateRunContext, file: string): string {
  const rel = path.relative(ctx.workspace, file)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file
}

// ---------------------------------------------------------------------------------------------
// What people see

type Lookup = (gate: string) => GateInfo | undefined

/** Category and criteria of the gate that wrote a report, from the registry the run passed in. */
export function gateInfoLookup(ctx: GateRunContext): Lookup {
  const catalog = ctx.catalog ?? {}
  const all = Object.values(catalog)
  return (gate) => {
    const g = (Object.hasOwn(catalog, gate) ? catalog[gate] : undefined) ?? all.find((x) => x.name === gate)
    return g ? { category: g.category, criteria: g.criteria } : undefined
  }
}

interface DetailsInput {
  checks: Check[]
  files: ReportFile[]
  bundle: Bundle
  decidedAt: Date
  finalDecision: 'GO' | 'NO-GO'
  bundleOutput: string
  digest: string
  skipped: { file: string; why: string }[]
  ctx: GateRunContext
  info: Lookup
}

/**
 * What decide shows: the headline (the runbook's decision table, one row per criterion with what
 * its gate measured, and the final decision), which the job summary puts first and unfolded, and
 * the details (the timeline, approvals, files left out), which it folds.
 */
export function renderDetails(d: DetailsInput): { headline: string; details: string } {
  const { bundle } = d
  const language = d.ctx.language ?? 'en'
  const w = WORDS[language].decide
  const reports = new Map(d.files.map((f) => [f.name, f.report?.gate]))
  const byId = new Map(d.files.flatMap((f) => (f.report ? [[f.name, f.report] as const] : [])))
  const facts = (id: string) => {
    const r = byId.get(id)
    return r ? { measured: measuredOf(r), ...(r.criteria ? { criteria: r.criteria } : {}) } : undefined
  }
  const rows = decisionRows(d.checks, reports, d.info, facts)
  const go = d.finalDecision === 'GO'
  const sub = bundle.subject
  const sig = bundle.signature
  const headline = [
    [
      sub.sha ? `${w.commit} \`${short(sub.sha)}\`` : w.noCommit,
      sub.runId ? w.run(sub.runId, sub.runAttempt) : undefined,
      `${w.decided} ${bundle.decidedAt}`,
    ]
      .filter(Boolean)
      .join(' · '),
    '',
    renderDecisionMarkdown(rows, language),
    '',
    renderFinalDecision(go, language),
    '',
    `**${w.maker}:** decide${sub.actor ? `, @${sub.actor}` : ''} · **${w.signature}:** ${sig ? `${ALG_NAMES[sig.alg]}${sig.keyId ? ` ${sig.keyId}` : ''}` : w.unsigned} · **${w.dateTime}:** ${bundle.decidedAt}`,
    '',
    d.bundleOutput ? `**${w.bundle}:** ${w.bundleWritten(d.bundleOutput, d.digest)}` : `**${w.bundle}:** ${w.bundleNotWritten}`,
  ].join('\n')
  const out: string[] = []
  const tasks = d.files.flatMap((f) =>
    f.report
      ? [
          {
            id: f.report.id,
            section: categoryIn(d.info(f.report.gate)?.category ?? 'Other', language),
            start: new Date(f.report.startedAt),
            finish: new Date(f.report.finishedAt),
            status: f.report.status,
          },
        ]
      : [],
  )
  if (tasks.length) out.push(renderGantt(tasks, d.decidedAt, d.finalDecision, language))
  if (bundle.approvals.length)
    out.push('', `**${w.approvals(bundle.approvals.length)}:**`, '', ...approvalsMarkdown(bundle.approvals, language))
  if (d.skipped.length) out.push('', w.skipped(d.skipped.map((x) => `\`${shown(d.ctx, x.file)}\` (${x.why})`).join(', ')))
  return { headline, details: out.join('\n').trim() }
}

/** approval-guard's records ({user, state, comment, environments, recordedAt}) as a table; anything else as JSON lines. */
function approvalsMarkdown(records: unknown[], language: Language): string[] {
  const w = WORDS[language].decide
  const shown = records.slice(0, 50) as Record<string, unknown>[]
  const more = records.length > shown.length ? [w.moreApprovals(records.length - shown.length)] : []
  const text = (v: unknown) =>
    cell(Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v), 200)
  if (!shown.every((a) => typeof a.user === 'string'))
    return [...shown.map((a) => `- \`${JSON.stringify(a).slice(0, 300).replace(/`/g, "'")}\``), ...more]
  return [
    `| ${w.approvalColumns.join(' | ')} |`,
    '|---|---|---|---|---|',
    ...shown.map(
      (a) =>
        `| @${text(a.user)} | ${text(a.state)} | ${text(a.environments ?? a.environment)} | ${text(a.comment)} | ${text(a.recordedAt ?? a.at)} |`,
    ),
    ...more,
  ]
}
