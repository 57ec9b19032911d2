/**
 * One scale for every source: GitHub's security severity levels. A CVSS-like `security-severity`
 * score maps as GitHub maps it (9.0 and up critical, 7.0 high, 4.0 medium, above 0 low); a result
 * that carries only a SARIF `level` (or a code-scanning alert only a rule severity) maps error to
 * high, warning to medium and note to low, so a scanner that says "error" is never waved through.
 */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

/** `none` is below every threshold; `unknown` (a severity that cannot be read) is above every one. */
export type Graded = Severity | 'none' | 'unknown'

export function rank(s: Graded): number {
  if (s === 'none') return -1
  if (s === 'unknown') return SEVERITIES.length
  return SEVERITIES.indexOf(s)
}

export const atOrAbove = (s: Graded, threshold: Severity) => rank(s) >= rank(threshold)

export function fromScore(score: number): Graded {
  if (!Number.isFinite(score) || score < 0 || score > 10) return 'unknown'
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  if (score > 0) return 'low'
  return 'none'
}

export function fromLevel(level: string): Graded {
  switch (level) {
    case 'error':
      return 'high'
    case 'warning':
      return 'medium'
    case 'note':
      return 'low'
    case 'none':
      return 'none'
    default:
      return 'unknown'
  }
}

/** `critical`, `high`, … read from text a source wrote (any case); anything else is unknown. */
export function fromName(name: unknown): Graded {
  const n = typeof name === 'string' ? name.trim().toLowerCase() : ''
  return (SEVERITIES as readonly string[]).includes(n) ? (n as Severity) : n === 'none' ? 'none' : 'unknown'
}

/** One thing found, in words every fail sentence uses: what, how bad and why so, where. */
export interface Finding {
  /** Rule, advisory or secret type: `CVE-2019-1549`, `js/sql-injection`, `GHSA-…`. */
  id: string
  severity: Graded
  /** How the severity was read: `security-severity 7.5`, `level error`, `advisory severity high`. */
  basis: string
  /** Where it is: a file and line, a package and manifest, a URL. */
  where: string
  title?: string
}

export const findingText = (f: Finding) =>
  `${f.id} ${f.severity === 'unknown' ? 'of unreadable severity' : f.severity} (${f.basis}) at ${f.where}${f.title ? `: ${f.title}` : ''}`

const SHOWN = 20

/** `3 open alerts at or above high: A; B; C` — at most 20 named, the count of the rest said. */
export function listFindings(findings: Finding[]): string {
  const shown = findings.slice(0, SHOWN).map(findingText)
  const more = findings.length > SHOWN ? ` (+${findings.length - SHOWN} more)` : ''
  return `${shown.join('; ')}${more}`
}

/** `2 medium, 1 low` for what was found below the threshold. */
export function countBySeverity(findings: Finding[]): string {
  const counts = new Map<string, number>()
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => rank(b[0] as Graded) - rank(a[0] as Graded))
    .map(([s, n]) => `${n} ${s}`)
    .join(', ')
}

/** Worst first, so the first named are the ones that matter. */
export const byWorst = (a: Finding, b: Finding) => rank(b.severity) - rank(a.severity)
