/** Number and time formats shared by the canary verdict, report and progress lines. */
import type { Window } from './model.js'

export const clock = (ms: number) => {
  const s = new Date(ms).toISOString()
  return s.slice(17, 19) === '00' ? s.slice(11, 16) : s.slice(11, 19)
}

export function windowLabel(w: Window): string {
  if (w.start !== undefined && w.end !== undefined) return `#${w.index} ${clock(w.start)}–${clock(w.end)}`
  if (w.end !== undefined) return `#${w.index} until ${clock(w.end)}`
  return `#${w.index}`
}

export const pct = (x: number) => `${+(x * 100).toPrecision(x !== 0 && Math.abs(x) < 0.01 ? 2 : 3)}%`
export const ms = (x: number) => `${x < 10 ? +x.toFixed(2) : Math.round(x)}ms`
export const times = (x: number) => `${+x.toFixed(2)}x`
export const count = (n: number) => Math.round(n).toLocaleString('en-US')
export const signed = (x: number) => `${x >= 0 ? '+' : ''}${pct(x)}`
/** Confidence from a p-value without rounding 99.995% up to a certain-looking 100%. */
export const confidenceText = (p: number) => (p < 1e-4 ? 'more than 99.99%' : `${+((1 - p) * 100).toFixed(2)}%`)

/** `2026-03-02T12:00:00Z`: instants in sentences, to the second when that is exact. */
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z')

/** Clocks differ a little between runners and the systems writing evidence. */
export const FUTURE_TOLERANCE_MS = 60_000
