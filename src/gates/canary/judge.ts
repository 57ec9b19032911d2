/** The statistical judge: Mann-Whitney U over the latencies of the deciding windows. */
import type { Status } from '../../core/result.js'
import { confidenceText, count } from './format.js'
import { JudgeError, groupSamples, mannWhitney, type MannWhitney, type TieGroup } from './mann-whitney.js'
import type { Variant } from './model.js'
import type { Evaluation, Thresholds } from './verdict.js'

export interface JudgeReport {
  status: Status
  observed: string
  message: string
  result?: MannWhitney
}

/** Mann-Whitney over the pooled latencies of the deciding windows (the last `min-green-windows`). */
export function runJudge(ev: Evaluation, t: Thresholds): JudgeReport {
  const deciding = ev.windows.slice(-t.minGreen)
  const names =
    deciding.length === 0
      ? 'no window'
      : deciding.length === 1
        ? `window ${deciding[0].label}`
        : `windows ${deciding[0].label} to ${deciding[deciding.length - 1].label}`
  const missingIn: string[] = []
  const canarySamples: Float64Array[] = []
  const baselineSamples: Float64Array[] = []
  const groups = new Map<number, TieGroup>()
  let samplesMode = true
  let bucketsMode = true
  for (const w of deciding) {
    for (const side of ['canary', 'baseline'] as const) {
      const lat = (w.window[side] as Variant | undefined)?.latencies
      if (!lat || lat.problem || (!lat.samples && !lat.buckets)) {
        // A recorded baseline is a few numbers, not a distribution: there is nothing to rank against.
        const why =
          side === 'baseline' && w.recorded !== undefined ? 'the baseline is the recorded one, which holds no distribution' : lat?.problem
        missingIn.push(`${side} in ${w.label}${why ? ` (${why})` : ''}`)
        samplesMode = bucketsMode = false
        continue
      }
      if (lat.samples) (side === 'canary' ? canarySamples : baselineSamples).push(lat.samples)
      else samplesMode = false
      if (lat.buckets) {
        for (const bk of lat.buckets) {
          const g = groups.get(bk.le) ?? { value: bk.le, a: 0, b: 0 }
          if (side === 'canary') g.a += bk.count
          else g.b += bk.count
          groups.set(bk.le, g)
        }
      } else bucketsMode = false
    }
  }
  if (deciding.length === 0 || missingIn.length > 0 || (!samplesMode && !bucketsMode)) {
    const where = missingIn.length
      ? `: none for ${missingIn.slice(0, 3).join('; ')}${missingIn.length > 3 ? ` (+${missingIn.length - 3} more)` : ''}`
      : ''
    return {
      status: 'fail',
      observed: 'no latency distributions',
      message: `judge: mann-whitney needs latency samples or histogram buckets for canary and baseline in ${names}${where}. Add \`latencies\` (ms) to the raw evidence, read a Prometheus histogram, or set \`judge: none\`.`,
    }
  }
  let mw: MannWhitney
  try {
    if (samplesMode) mw = mannWhitney(groupSamples(concat(canarySamples), concat(baselineSamples)))
    else mw = mannWhitney([...groups.values()].sort((x, y) => x.value - y.value))
  } catch (err) {
    const why = err instanceof JudgeError ? err.message : String(err)
    return { status: 'fail', observed: 'not computed', message: `judge: mann-whitney could not compare ${names}: ${why}.` }
  }
  const effect = `Cliff's δ ${mw.delta >= 0 ? '+' : ''}${mw.delta.toFixed(3)} (${mw.magnitude}), P(canary slower) ${mw.probabilityHigher.toFixed(3)}`
  const sizes = `${count(mw.n1)} canary and ${count(mw.n2)} baseline ${samplesMode ? 'samples' : 'observations in histogram buckets'} from ${names}`
  const observed = `one-sided p ${fmtP(mw.pGreater)}, ${effect}`
  const slower = mw.pGreater < 0.05 && mw.delta >= 0.147
  const message = slower
    ? `Mann-Whitney U: the canary's latency is higher than the baseline's with ${confidenceText(mw.pGreater)} confidence (one-sided p ${fmtP(mw.pGreater)}, z ${mw.z.toFixed(2)}); effect ${effect}; ${sizes}. A slowdown that is significant and not negligible: look at the canary's latency before promoting.`
    : `Mann-Whitney U: no significant, non-negligible slowdown of the canary (one-sided p ${fmtP(mw.pGreater)}, confidence ${confidenceText(mw.pGreater)}; two-sided p ${fmtP(mw.pTwoSided)}); effect ${effect}; ${sizes}.`
  return { status: slower ? 'warn' : 'pass', observed, message, result: mw }
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(1) : String(+p.toPrecision(2)))
