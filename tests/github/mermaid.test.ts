// The Mermaid we emit, checked against Mermaid's grammars: the decide timeline (`gantt`) and the
// canary charts (`xychart-beta`). No Mermaid parser is installed (mermaid needs a DOM and is
// large; @mermaid-js/parser covers neither gantt nor xychart), so these checkers restate the
// rules of the grammars that matter to what we write:
// - gantt (mermaid's gantt.jison, case-insensitive, the first matching rule wins at each token):
//   a task name runs to the first `:`, `#`, `;` or line end, and is misread when it begins with a
//   keyword (`title `, `section `, `gantt`, `click `, `call `, …), a date `YYYY-MM-DD` or `%`;
//   its data is `:` then tags (active, done, crit, milestone), an id, a start and an end.
// - xychart-beta: quoted strings hold no `"`; numbers are `[+-]?(\d+(\.\d+)?|\.\d+)`, no
//   exponent; every series has one value per x-axis category.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ID_PATTERN } from '../../src/core/report.js'
import { renderChart, type Chart } from '../../src/gates/canary/chart.js'
import { renderGantt, type GanttTask } from '../../src/gates/decide/timeline.js'

const fenced = (md: string) => {
  const m = /^```mermaid\n([\s\S]*?)\n```/m.exec(md)
  expect(m, 'no mermaid block').not.toBeNull()
  return m![1]
}

const GANTT_KEYWORD =
  /^(?:(?:gantt|inclusiveEndDates|topAxis)\b|(?:dateFormat|axisFormat|tickInterval|includes|excludes|todayMarker|title|accDescription|section|click|call)\s|\d\d\d\d-\d\d-\d\d\b|%|#|accTitle\s*:|accDescr\s*[:{]|href\s+")/i
const TAGS = new Set(['active', 'done', 'crit', 'milestone'])
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/

export function ganttProblems(src: string): string[] {
  const problems: string[] = []
  const lines = src.split('\n').map((l) => l.trim())
  if (lines[0] !== 'gantt') problems.push(`starts with ${JSON.stringify(lines[0])}, not gantt`)
  const ids = new Set<string>()
  const seen = new Set<string>()
  let format = ''
  for (const line of lines.slice(1)) {
    if (line === '') continue
    let m: RegExpExecArray | null
    if ((m = /^(dateFormat|axisFormat|title)\s([^#\n;]+)$/i.exec(line))) {
      // Each once: a second is a task name Mermaid read as the keyword (and the bar is gone).
      const key = m[1].toLowerCase()
      if (seen.has(key)) problems.push(`a second ${m[1]} (a task read as one?): ${JSON.stringify(line)}`)
      seen.add(key)
      if (key === 'dateformat') format = m[2].trim()
    } else if (/^section\s/i.test(line)) {
      if (!/^section\s[^#:\n;]+$/i.test(line)) problems.push(`section line ${JSON.stringify(line)}`)
    } else if (GANTT_KEYWORD.test(line)) problems.push(`task name read as a keyword, date or comment: ${JSON.stringify(line)}`)
    else if ((m = /^([^#:\n;]+):([^#\n;]+)$/.exec(line))) {
      const parts = m[2].split(',').map((p) => p.trim())
      while (parts.length && TAGS.has(parts[0])) parts.shift()
      const [id, start, end, ...rest] = parts
      if (!id || !/^[A-Za-z_][\w-]*$/.test(id) || ids.has(id)) problems.push(`task id ${JSON.stringify(id)} in ${JSON.stringify(line)}`)
      ids.add(id)
      // Two date formats are written: seconds (YYYY-MM-DD HH:mm:ss) or dayjs's `x`, epoch milliseconds.
      const stamp = format === 'x' ? /^\d{1,15}$/ : format === 'YYYY-MM-DD HH:mm:ss' ? STAMP : undefined
      const at = (v: string) => (format === 'x' ? Number(v) : Date.parse(`${v}Z`))
      if (!stamp || !stamp.test(start ?? '')) problems.push(`start ${JSON.stringify(start)} not in ${format}`)
      if (!(stamp?.test(end ?? '') ? at(end!) > at(start!) : /^\d+(ms|s|m|h|d|w)$/.test(end ?? '')))
        problems.push(`end ${JSON.stringify(end)} after ${JSON.stringify(start)}`)
      if (rest.length) problems.push(`extra task data ${JSON.stringify(rest)}`)
    } else problems.push(`unreadable line ${JSON.stringify(line)}`)
  }
  return problems
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/
const QUOTED = /^"[^"]*"$/

export function xychartProblems(src: string): string[] {
  const problems: string[] = []
  let body = src
  if (src.startsWith('---\n')) {
    const end = src.indexOf('\n---\n', 4)
    if (end < 0) return ['front matter not closed']
    const config = parse(src.slice(4, end)) as { config?: { themeVariables?: { xyChart?: { plotColorPalette?: string } } } }
    const palette = config?.config?.themeVariables?.xyChart?.plotColorPalette
    if (typeof palette !== 'string' || !palette.split(',').every((c) => /^#[0-9a-f]{6}$/i.test(c.trim())))
      problems.push(`plotColorPalette ${JSON.stringify(palette)}`)
    body = src.slice(end + 5)
  }
  const lines = body.split('\n').map((l) => l.trim())
  if (lines[0] !== 'xychart-beta') problems.push(`starts with ${JSON.stringify(lines[0])}`)
  let categories = -1
  let range: [number, number] | undefined
  const list = (s: string) => s.split(',').map((x) => x.trim())
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null
    if ((m = /^title (.*)$/.exec(line))) {
      if (!QUOTED.test(m[1])) problems.push(`title ${m[1]}`)
    } else if ((m = /^x-axis \[(.*)\]$/.exec(line))) {
      // Quoted labels, a comma between each: a comma inside quotes is part of the label.
      const labels = m[1].match(/"[^"]*"/g) ?? []
      categories = labels.length
      if (!/^\s*(?:"[^"]*"\s*(?:,\s*"[^"]*"\s*)*)?$/.test(m[1])) problems.push(`x-axis labels ${m[1]}`)
    } else if ((m = /^y-axis ("[^"]*") (\S+) --> (\S+)$/.exec(line))) {
      if (!NUMBER.test(m[2]) || !NUMBER.test(m[3]) || !(Number(m[2]) < Number(m[3]))) problems.push(`y-axis range ${m[2]} --> ${m[3]}`)
      range = [Number(m[2]), Number(m[3])]
    } else if ((m = /^(line|bar) \[(.*)\]$/.exec(line))) {
      const values = list(m[2])
      if (values.length !== categories) problems.push(`${values.length} values for ${categories} categories`)
      for (const v of values) {
        if (!NUMBER.test(v)) problems.push(`value ${JSON.stringify(v)} is no Mermaid number`)
        else if (range && (Number(v) < range[0] || Number(v) > range[1])) problems.push(`value ${v} outside the y-axis`)
      }
    } else if (line !== '') problems.push(`unreadable line ${JSON.stringify(line)}`)
  }
  if (categories < 1) problems.push('no x-axis')
  return problems
}

// ---------------------------------------------------------------------------------------------

const T0 = Date.parse('2026-03-02T12:00:00Z')
const task = (id: string, section: string, startS: number, lengthS: number, status: GanttTask['status'] = 'pass'): GanttTask => ({
  id,
  section,
  start: new Date(T0 + startS * 1000),
  finish: new Date(T0 + (startS + lengthS) * 1000),
  status,
})

describe('gantt (decide timeline)', () => {
  it('the checker refuses what Mermaid misreads (so a pass means something)', () => {
    expect(
      ganttProblems(
        'gantt\n  dateFormat YYYY-MM-DD HH:mm:ss\n  title T 2026 x\n  section A\n  title T-5s to T-4s :done, g1, 2026-03-02 11:59:55, 2026-03-02 11:59:56',
      ),
    ).toEqual([expect.stringContaining('a second title')])
    expect(
      ganttProblems('gantt\n  dateFormat YYYY-MM-DD HH:mm:ss\n  section A\n  x :done, g1, 2026-03-02 11:59:55, 2026-03-02 11:59:54'),
    ).toEqual([expect.stringContaining('end')])
  })

  it('the timeline of real-looking gates parses', () => {
    const tasks = [
      task('pre-flight', 'Infrastructure', -600, 30),
      task('canary', 'Application', -300, 240, 'warn'),
      task('db-backup', 'Data', -500, 0.04, 'fail'),
    ]
    for (const decision of ['GO', 'NO-GO'] as const) expect(ganttProblems(fenced(renderGantt(tasks, new Date(T0), decision)))).toEqual([])
  })

  it.each(['title', 'section', 'gantt', 'Gantt-v2', 'topAxis.check', 'includes', 'call', 'click', '2026-03-01-migration', 'dateFormat'])(
    'a gate whose id is %s still draws as a bar, not as a Mermaid keyword or date',
    (id) => {
      const src = fenced(renderGantt([task(id, 'Cutover', -60, 10)], new Date(T0), 'GO'))
      expect(ganttProblems(src)).toEqual([])
      expect(src).toContain(id)
    },
  )

  it('any gate ids (of the report id pattern) and any categories parse', () => {
    const id = fc.stringMatching(ID_PATTERN)
    const keywordish = fc.constantFrom('title', 'section', 'gantt', 'call', 'click', 'includes', 'excludes', '2026-01-01', 'todayMarker')
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.oneof(
              id,
              keywordish,
              fc.tuple(keywordish, id).map(([k, i]) => `${k}-${i}`.slice(0, 100)),
            ),
            section: fc.string({ maxLength: 40 }),
            start: fc.integer({ min: -7200, max: 600 }),
            length: fc.integer({ min: 0, max: 3600 }),
            status: fc.constantFrom('pass' as const, 'warn' as const, 'fail' as const),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom('GO' as const, 'NO-GO' as const),
        (rows, decision) => {
          const tasks = rows.filter((r) => ID_PATTERN.test(r.id)).map((r) => task(r.id, r.section, r.start, r.length, r.status))
          if (!tasks.length) return
          expect(ganttProblems(fenced(renderGantt(tasks, new Date(T0), decision)))).toEqual([])
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('xychart-beta (canary charts)', () => {
  const chart = (labels: string[], values: (number | undefined)[][]): Chart => ({
    title: 'p99 "latency" per window (ms)',
    yTitle: 'p99 (ms)',
    labels,
    lines: values.map((v, i) => ({ name: `line ${i}`, values: v })),
  })

  it('the checker refuses what Mermaid misreads', () => {
    expect(xychartProblems('xychart-beta\n  x-axis ["a", "b"]\n  y-axis "y" 0 --> 10\n  line [1e-7, 2]')).toEqual([
      expect.stringContaining('no Mermaid number'),
    ])
    expect(xychartProblems('xychart-beta\n  x-axis ["a", "b"]\n  y-axis "y" 0 --> 10\n  line [1]')).toEqual(['1 values for 2 categories'])
  })

  it('labels with quotes, windows without a value, and tiny or huge numbers all parse', () => {
    const md = renderChart(
      chart(
        ['#1 "a"', '#2', '#3'],
        [
          [0.00000000001, 5e21, undefined],
          [1e-12, 3, 4],
        ],
      ),
    )
    expect(xychartProblems(fenced(md))).toEqual([])
  })

  it('any labels and any finite non-negative values parse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((n) =>
          fc.tuple(
            fc.array(fc.string({ maxLength: 20 }), { minLength: n, maxLength: n }),
            fc.array(
              fc.array(fc.oneof(fc.double({ min: 0, max: 1e30, noNaN: true }), fc.constant(undefined), fc.constant(1e-15)), {
                minLength: n,
                maxLength: n,
              }),
              { minLength: 1, maxLength: 4 },
            ),
          ),
        ),
        ([labels, values]) => {
          const md = renderChart(chart(labels, values))
          if (md === '') return
          expect(xychartProblems(fenced(md))).toEqual([])
        },
      ),
      { numRuns: 300 },
    )
  })
})
