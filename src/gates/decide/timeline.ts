/**
 * The cutover timeline as the scribe of the payments runbook keeps it ("T-60: Pre-flight
 * Start/End ... T+15: GO/NO-GO Decision"), drawn as a Mermaid `gantt` that GitHub renders in the
 * job summary: one bar per gate from its start to its finish, grouped by category, failed gates
 * marked `crit`, and the decision as a milestone. Labels give the start relative to the decision
 * and how long the gate took. Bars are placed to the millisecond (`dateFormat x`): gates that run
 * together finish within a second, and whole seconds would draw every one as the same bar.
 */
import type { Decision } from './bundle.js'
import type { Status } from '../../core/result.js'
import { WORDS, type Language } from '../../core/i18n.js'
import { formatDuration } from '../../core/units.js'

export interface GanttTask {
  id: string
  section: string
  start: Date
  finish: Date
  status: Status
}

const SECOND = 1000

/** `T-12m05s`, `T+40s`, `T-1h02m`: legible, and free of the `:` that Mermaid reads as a separator. */
export function tMark(at: Date, zero: Date): string {
  const diff = Math.round((at.getTime() - zero.getTime()) / SECOND)
  const sign = diff > 0 ? '+' : '-'
  const s = Math.abs(diff)
  const pad = (n: number) => String(n).padStart(2, '0')
  if (s < 60) return `T${sign}${s}s`
  if (s < 3600) return `T${sign}${Math.floor(s / 60)}m${pad(s % 60)}s`
  return `T${sign}${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`
}

/** Mermaid's `dateFormat YYYY-MM-DD HH:mm:ss`, in UTC. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** Text Mermaid would misread in a task or section name (`:` ends a name, `#` and `;` start comments or separate statements). */
function safe(text: string): string {
  return text.replace(/[:;#\s]+/g, ' ').trim() || '-'
}

/**
 * What gantt's lexer (case-insensitive, first rule wins) reads at the start of a line before it
 * reads a task name: a keyword, a date, a comment. A gate id `title` or `2026-03-01-migration`
 * would turn its bar into the chart's title or a stray date.
 */
const GANTT_KEYWORD =
  /^(?:(?:gantt|inclusiveEndDates|topAxis)\b|(?:dateFormat|axisFormat|tickInterval|includes|excludes|todayMarker|title|accDescription|section|click|call)\s|\d\d\d\d-\d\d-\d\d\b|%|accTitle\s*:|accDescr\s*[:{]|href\s+")/i

/** A task name Mermaid reads as one: `gate ` in front of a name it would read as something else. */
function taskName(text: string): string {
  const name = safe(text)
  return GANTT_KEYWORD.test(name) ? `gate ${name}` : name
}

const TAG: Record<Status, string> = { pass: 'done', warn: 'active', fail: 'crit' }

/** More bars than this are unreadable, and slow Mermaid down; the bundle's timeline keeps them all. */
export const MAX_BARS = 150

export function renderGantt(all: GanttTask[], decidedAt: Date, decision: Decision, language: Language = 'en', limit = MAX_BARS): string {
  const w = WORDS[language].decide
  // Failed and warned gates always get their bar; passing ones fill what room is left.
  const notPass = all.filter((t) => t.status !== 'pass')
  const tasks =
    all.length <= limit ? all : [...notPass, ...all.filter((t) => t.status === 'pass').slice(0, Math.max(0, limit - notPass.length))]
  const lines = [
    '```mermaid',
    'gantt',
    `  title ${w.timeline(decision, stamp(decidedAt.getTime()).slice(11))}`,
    '  dateFormat x',
    '  axisFormat %H:%M:%S',
  ]
  // Sections in the order their first gate started; bars within a section by start time.
  const sorted = [...tasks].sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id))
  const sections = [...new Set(sorted.map((t) => t.section))]
  let n = 0
  for (const section of sections) {
    lines.push(`  section ${safe(section)}`)
    for (const t of sorted.filter((x) => x.section === section)) {
      const from = t.start.getTime()
      const took = Math.max(0, t.finish.getTime() - from)
      // Mermaid drops a bar that ends where it starts; a millisecond keeps an instant gate on the chart.
      const to = from + Math.max(took, 1)
      const label = taskName(`${t.id} ${tMark(t.start, decidedAt)}, ${formatDuration(took)}`)
      lines.push(`  ${label} :${TAG[t.status]}, g${++n}, ${from}, ${to}`)
    }
  }
  lines.push(`  section ${w.decisionSection}`)
  lines.push(
    `  ${decision} T-0 :milestone, ${decision === 'GO' ? '' : 'crit, '}decision, ${decidedAt.getTime()}, ${decidedAt.getTime() + 1}`,
  )
  lines.push('```')
  if (tasks.length < all.length) lines.push('', w.timelineCut(tasks.length, all.length))
  return lines.join('\n')
}
