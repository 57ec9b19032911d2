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

export function renderDetails(d: DetailsInput): string {
  const { bundle } = d
  const reports = new Map(d.files.map((f) => [f.name, f.report?.gate]))
  const rows = decisionRows(d.checks, reports, d.info)
  const go = d.finalDecision === 'GO'
  const sub = bundle.subject
  const sig = bundle.signature
  const out = [
    `### Go/No-Go decision: ${go ? (bundle.status === 'warn' ? '⚠️ GO with warnings' : '✅ GO') : '❌ NO-GO'}`,
    '',
    [
      sub.sha ? `commit \`${short(sub.sha)}\`` : 'no commit named',
      sub.runId ? `run ${sub.runId}${sub.runAttempt ? ` attempt ${sub.runAttempt}` : ''}` : undefined,
      `decided ${bundle.decidedAt}`,
    ]
      .filter(Boolean)
      .join(' · '),
    '',
    renderDecisionMarkdown(rows, 'en'),
    '',
    renderFinalDecision(go, 'en'),
    '',
    `**Decision maker:** decide${sub.actor ? `, run by @${sub.actor}` : ''} · **Signature:** ${sig ? `${ALG_NAMES[sig.alg]}${sig.keyId ? ` ${sig.keyId}` : ''}` : 'unsigned'} · **Date/Time:** ${bundle.decidedAt}`,
    '',
    d.bundleOutput
      ? `**Evidence bundle:** \`${d.bundleOutput}\` (${d.digest}); check it with \`cutover bundle verify ${d.bundleOutput}\`.`
      : '**Evidence bundle:** not written.',
  ]
  const tasks = d.files.flatMap((f) =>
    f.report
      ? [
          {
            id: f.report.id,
            section: d.info(f.report.gate)?.category ?? 'Other',
            start: new Date(f.report.startedAt),
            finish: new Date(f.report.finishedAt),
            status: f.report.status,
          },
        ]
      : [],
  )
  if (tasks.length) out.push('', renderGantt(tasks, d.decidedAt, d.finalDecision))
  if (bundle.approvals.length)
    out.push('', `**Recorded approvals (${bundle.approvals.length}):**`, '', ...approvalsMarkdown(bundle.approvals))
  if (d.skipped.length)
    out.push('', `Left out of the decision: ${d.skipped.map((x) => `\`${shown(d.ctx, x.file)}\` (${x.why})`).join(', ')}.`)
  return out.join('\n')
}

/** approval-guard's records ({user, state, comment, environments, recordedAt}) as a table; anything else as JSON lines. */
function approvalsMarkdown(records: unknown[]): string[] {
  const shown = records.slice(0, 50) as Record<string, unknown>[]
  const more = records.length > shown.length ? [`… and ${records.length - shown.length} more in the bundle.`] : []
  const text = (v: unknown) =>
    cell(Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v), 200)
  if (!shown.every((a) => typeof a.user === 'string'))
    return [...shown.map((a) => `- \`${JSON.stringify(a).slice(0, 300).replace(/`/g, "'")}\``), ...more]
  return [
    '| Approver | State | Environments | Comment | Recorded at |',
    '|---|---|---|---|---|',
    ...shown.map(
      (a) =>
        `| @${text(a.user)} | ${text(a.state)} | ${text(a.environments ?? a.environment)} | ${text(a.comment)} | ${text(a.recordedAt ?? a.at)} |`,
    ),
    ...more,
  ]
}
