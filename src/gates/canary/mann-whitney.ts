/**
 * The Mann-Whitney U test, as Kayenta's judge uses it to compare a canary metric with the
 * baseline's: does the canary's latency tend to be higher than the baseline's?
 *
 * Works on tie groups (a value and how many canary and baseline observations share it), so
 * the same code judges raw latency samples (few ties) and Prometheus histogram buckets (every
 * bucket one big tie group: ordinal data the tie correction is made for). The p-value uses the
 * normal approximation with the tie-corrected variance and a continuity correction, which is
 * what scipy's `mannwhitneyu(method='asymptotic')` computes; at the sample sizes a canary
 * window has (hundreds and up) the exact distribution is not needed.
 */

/** Observations sharing one value: `a` from the canary, `b` from the baseline. */
export interface TieGroup {
  value: number
  a: number
  b: number
}

export interface MannWhitney {
  /** Canary and baseline sample sizes. */
  n1: number
  n2: number
  /** U of the canary: pairs where the canary is higher, ties counting a half. */
  u1: number
  u2: number
  z: number
  /** Two-sided p-value: the distributions differ. */
  pTwoSided: number
  /** One-sided p-value for "the canary is higher (slower)"; `z` is its statistic. */
  pGreater: number
  /** Cliff's delta (= the rank-biserial correlation) in [-1, 1]: positive means the canary is higher. */
  delta: number
  /** Romano et al.'s reading of |delta|: negligible < 0.147 ≤ small < 0.33 ≤ medium < 0.474 ≤ large. */
  magnitude: 'negligible' | 'small' | 'medium' | 'large'
  /** P(canary > baseline) + P(tie)/2: the common-language effect size. */
  probabilityHigher: number
}

export class JudgeError extends Error {}

/** Tie groups from two unsorted sample sets; NaN and infinite values are refused. */
export function groupSamples(canary: ArrayLike<number>, baseline: ArrayLike<number>): TieGroup[] {
  const a = sortedFinite(canary, 'canary')
  const b = sortedFinite(baseline, 'baseline')
  const groups: TieGroup[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j]
    let ca = 0
    let cb = 0
    while (i < a.length && a[i] === v) {
      ca++
      i++
    }
    while (j < b.length && b[j] === v) {
      cb++
      j++
    }
    groups.push({ value: v, a: ca, b: cb })
  }
  return groups
}

function sortedFinite(xs: ArrayLike<number>, name: string): Float64Array {
  const out = Float64Array.from(xs)
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k])) throw new JudgeError(`the ${name} latency samples hold a value that is not a finite number (${out[k]})`)
  }
  return out.sort()
}

/** The test over tie groups sorted by value (ascending); groups with equal values must be merged. */
export function mannWhitney(groups: readonly TieGroup[]): MannWhitney {
  let n1 = 0
  let n2 = 0
  for (const g of groups) {
    if (!(g.a >= 0 && g.b >= 0) || !Number.isFinite(g.a + g.b)) throw new JudgeError('a tie group has a negative or non-finite count')
    n1 += g.a
    n2 += g.b
  }
  if (n1 === 0 || n2 === 0) throw new JudgeError(`the test needs samples from both sides (canary ${n1}, baseline ${n2})`)
  const n = n1 + n2
  // Rank sum of the canary with mid-ranks for ties, and the tie term of the variance.
  let below = 0
  let r1 = 0
  let ties = 0
  for (const g of groups) {
    const t = g.a + g.b
    if (t === 0) continue
    r1 += g.a * (below + (t + 1) / 2)
    ties += t * t * t - t
    below += t
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2
  const u2 = n1 * n2 - u1
  const mean = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)))
  const delta = (u1 - u2) / (n1 * n2)
  const abs = Math.abs(delta)
  const magnitude = abs < 0.147 ? 'negligible' : abs < 0.33 ? 'small' : abs < 0.474 ? 'medium' : 'large'
  let z = 0
  let pTwoSided = 1
  let pGreater = 1
  if (variance > 0) {
    const sd = Math.sqrt(variance)
    const d = u1 - mean
    // Continuity correction of half a unit, as scipy's mannwhitneyu does.
    z = (d - 0.5) / sd
    pTwoSided = Math.min(1, 2 * upperTail((Math.abs(d) - 0.5) / sd))
    pGreater = upperTail(z)
  }
  return { n1, n2, u1, u2, z, pTwoSided, pGreater, delta, magnitude, probabilityHigher: u1 / (n1 * n2) }
}

/** P(Z > z) for a standard normal Z, accurate to about 1e-14 relative, far into the tail. */
export function upperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

/**
 * erfc without a coefficient table: a positive-term series for erf near zero (no cancellation)
 * and a Lentz continued fraction in the tail, where 1 − erf would lose every digit.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x < 0) return 2 - erfc(-x)
  if (x === Infinity) return 0
  if (x < 2.5) {
    // erf(x) = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))
    let term = x
    let sum = x
    for (let k = 1; k < 200; k++) {
      term *= (2 * x * x) / (2 * k + 1)
      sum += term
      if (term < sum * 1e-17) break
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum
  }
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let k = 1; k < 500; k++) {
    const a = k / 2
    d = x + a * d
    d = d === 0 ? tiny : d
    c = x + a / c
    c = c === 0 ? tiny : c
    d = 1 / d
    const step = c * d
    f *= step
    if (Math.abs(step - 1) < 1e-16) break
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f
}
