/**
 * Mermaid `xychart-beta` charts for the report: GitHub renders them in job summaries and
 * check-run text. xychart has no legend and no gaps in a line, so colours are fixed through the
 * theme and named in a caption, and windows without a value for every line are left out (and
 * listed) rather than drawn as zero.
 */

export interface Line {
  name: string
  /** One value per window; undefined or non-finite leaves the window out of the chart. */
  values: (number | undefined)[]
}

export interface Chart {
  title: string
  yTitle: string
  /** One label per window. */
  labels: string[]
  lines: Line[]
}

export const PALETTE = ['#d62728', '#1f77b4', '#ff7f0e', '#7f7f7f', '#2ca02c']
const COLOUR_NAMES = ['red', 'blue', 'orange', 'grey', 'green']

/** Mermaid reads no exponent (`1e-7`, `5e+21`): plain digits, at most 4 significant ones. */
const PLAIN = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 4 })

/** A number Mermaid parses, with at most 4 significant digits. */
function num(v: number): string {
  return v === 0 ? '0' : PLAIN.format(v)
}

/** A label inside double quotes: Mermaid has no escape for `"`. */
const label = (s: string) => `"${s.replace(/"/g, "'")}"`

/** Mermaid source in a fenced block and a caption, or '' when no window has every value. */
export function renderChart(chart: Chart): string {
  const keep: number[] = []
  const left: string[] = []
  chart.labels.forEach((l, i) => {
    if (chart.lines.every((line) => line.values[i] !== undefined && Number.isFinite(line.values[i]))) keep.push(i)
    else left.push(l)
  })
  if (keep.length === 0) return ''
  const max = Math.max(...chart.lines.flatMap((line) => keep.map((i) => line.values[i] as number)))
  const top = niceCeiling(max * 1.1)
  const palette = PALETTE.slice(0, chart.lines.length).join(', ')
  const out = [
    '```mermaid',
    '---',
    'config:',
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${palette}"`,
    '---',
    'xychart-beta',
    `  title ${label(chart.title)}`,
    `  x-axis [${keep.map((i) => label(chart.labels[i])).join(', ')}]`,
    `  y-axis ${label(chart.yTitle)} 0 --> ${num(top)}`,
    ...chart.lines.map((line) => `  line [${keep.map((i) => num(line.values[i] as number)).join(', ')}]`),
    '```',
  ]
  const caption = chart.lines.map((line, k) => `${COLOUR_NAMES[k]}: ${line.name}`).join(' · ')
  out.push('', `<sub>${caption}${left.length ? ` · not drawn (no value): ${left.join(', ')}` : ''}</sub>`)
  return out.join('\n')
}

/** 1, 2 or 5 times a power of ten, at or above v. */
function niceCeiling(v: number): number {
  if (!(v > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}
