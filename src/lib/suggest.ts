/**
 * "Did you mean `expect`?": the known name nearest to a mistyped one, when it is near enough to be
 * the likely intent. A far-off name gets no suggestion: a wrong guess misleads more than none.
 */
import leven from 'leven'

/** The nearest of `known` to `given`, or undefined when none is within a third of its length (rounded up, at most 3 edits). */
export function nearest(given: string, known: Iterable<string>): string | undefined {
  const wanted = given.trim().toLowerCase()
  if (wanted === '') return undefined
  const limit = Math.min(3, Math.max(1, Math.ceil(wanted.length / 3)))
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const candidate = name.toLowerCase()
    const distance = leven(wanted, candidate, { maxDistance: limit + 1 })
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

/** ` (did you mean \`x\`?)`, or the empty string when nothing is near. */
export function didYouMean(given: string, known: Iterable<string>): string {
  const n = nearest(given, known)
  return n === undefined ? '' : ` (did you mean \`${n}\`?)`
}
