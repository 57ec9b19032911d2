/**
 * Secrets never reach a report, a summary or a check run: everything we write passes through
 * one redactor built from the secret inputs (and the GitHub token).
 */
export type Redact = <T>(value: T) => T

export const MASK = '***'

export function makeRedactor(secrets: Iterable<string>): Redact {
  // Longest first, so a secret that contains another is masked whole.
  const list = [...new Set([...secrets].filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length)
  const forms = new Set<string>()
  for (const s of list) {
    forms.add(s)
    forms.add(encodeURIComponent(s))
    forms.add(JSON.stringify(s).slice(1, -1))
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length)
  const text = (s: string) => {
    let out = s
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK)
    return out
  }
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v)
    if (Array.isArray(v)) return v.map(deep)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), deep(x)]))
    return v
  }
  return (<T>(value: T): T => (ordered.length === 0 ? value : (deep(value) as T))) as Redact
}
