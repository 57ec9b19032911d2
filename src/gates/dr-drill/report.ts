/** What dr-drill shows: the RTO and RPO lines, the steps and snapshots tables, and the output tails. */
import { formatDuration } from '../../core/units.js'
import { cell } from '../../lib/markdown.js'
import { formatRpo } from './budget.js'
import { TAIL_LINES, size, type Drill } from './drill.js'

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const f = '`'.repeat(longest + 1)
  return `${f}text\n${text}\n${f}`
}

export function details(d: Drill): string {
  const out: string[] = []
  if (d.rtoLines.length || d.rpoLines.length) {
    if (d.rtoLines.length) out.push(`**RTO** (budget ${formatDuration(d.s.rto)}): ${d.rtoLines.join('; ')}`, '')
    if (d.rpoLines.length) out.push(`**RPO** (budget ${formatRpo(d.s.rpo)}): ${d.rpoLines.join('; ')}`, '')
  }
  if (d.steps.length) {
    out.push('| step | duration | result |', '|---|---:|---|')
    for (const st of d.steps) out.push(`| ${cell(st.name)} | ${formatDuration(st.ms)} | ${cell(st.result)} |`)
    out.push('')
  }
  if (d.snapshots.length) {
    out.push('| snapshot | path | size | SHA-256 | timestamp |', '|---|---|---:|---|---|')
    for (const sn of d.snapshots)
      out.push(`| ${cell(sn.what)} | ${cell(sn.path)} | ${size(sn.size)} | \`${sn.sha256}\` | ${sn.timestamp} |`)
    out.push('')
  }
  for (const t of d.tails) {
    out.push(
      `<details><summary>${t.step} output${t.cut ? ` (last ${TAIL_LINES} lines)` : ''}</summary>`,
      '',
      fence(t.text),
      '',
      '</details>',
      '',
    )
  }
  return out.join('\n').trim()
}
