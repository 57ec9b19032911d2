/**
 * Key inventories: the keys no certificate or API can tell us about (PSP keys, webhook secrets,
 * signing keys), each with a name, an expiry written one of three ways, and an owner to call.
 *
 *   - name: stripe-live-key
 *     rotated: 2026-09-01
 *     rotate-every: 90d
 *     owner: payments on-call
 *
 * YAML or JSON (JSON is YAML), a list at the top or under `keys:`. Parsed with `yaml` as nodes,
 * not plain values, so every complaint names the line it is about.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml'
import { DURATION_FORM, parseDuration } from '../../core/units.js'
import { INSTANT_FORM, MAX_SPAN_MS, MAX_SPAN_TEXT, addSpan, parseInstant } from './dates.js'

export class InventoryError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file} line ${line}: ${reason}`)
  }
}

export type ExpiryBasis = { kind: 'expires' } | { kind: 'created'; at: Date; maxAge: number } | { kind: 'rotated'; at: Date; every: number }

export interface InventoryKey {
  name: string
  expires: Date
  basis: ExpiryBasis
  owner?: string
  /** 1-based line where the item begins. */
  line: number
}

export const INVENTORY_FORM =
  'a YAML or JSON list of keys, each with `name` and one of `expires`, `created` + `max-age`, or `rotated` + `rotate-every`, and optionally `owner`'

const FIELDS = ['name', 'expires', 'created', 'max-age', 'rotated', 'rotate-every', 'owner'] as const
type Field = (typeof FIELDS)[number]

/**
 * Field names compared for "another spelling of the same field": case, `-`, `_` and spaces aside.
 * A YAML reader that keeps the first (or last) of `expires` and `Expires` would judge a date the
 * author may not have meant, so a field given twice in any spelling is refused, never picked.
 */
const fold = (k: string) => k.toLowerCase().replace(/[\s_-]+/g, '')
const FOLDED = new Map<string, string>(FIELDS.map((f) => [fold(f), f]))
/** Names people give a field the inventory spells otherwise, for the hint in the refusal. */
const LIKELY: Record<string, Field> = {
  expiry: 'expires',
  expiration: 'expires',
  expiresat: 'expires',
  expireson: 'expires',
  expirydate: 'expires',
  expirationdate: 'expires',
  notafter: 'expires',
  validuntil: 'expires',
  createdat: 'created',
  issued: 'created',
  issuedat: 'created',
  rotatedat: 'rotated',
  lastrotated: 'rotated',
  rotationperiod: 'rotate-every',
  rotationinterval: 'rotate-every',
  rotateafter: 'rotate-every',
  lifetime: 'max-age',
  ttl: 'max-age',
  team: 'owner',
  contact: 'owner',
}

interface KeySeen {
  /** The key as written (shortened), for messages. */
  shown: string
  line: number
  /** The field it is, exactly or in another spelling. */
  field?: string
  exact: boolean
  hint?: string
}

const code = (s: string) => `\`${s}\``

function shownKey(key: unknown): { text?: string; shown: string } {
  if (isScalar(key)) {
    const text = String(key.value)
    return { ...(typeof key.value === 'string' ? { text } : {}), shown: text.length > 60 ? `${text.slice(0, 60)}…` : text }
  }
  if (isAlias(key)) return { shown: `*${key.source}` }
  return { shown: 'a key that is not text' }
}

/** Every key of a mapping, classified against the names it may hold. */
function classify(r: Reader, pairs: Pair[], allowed: readonly string[], folded: Map<string, string>, line: number): KeySeen[] {
  return pairs.map((pair) => {
    const { text, shown } = shownKey(pair.key)
    const at = r.lineOf(pair.key as Node | null, line)
    if (text !== undefined && allowed.includes(text)) return { shown, line: at, field: text, exact: true }
    const f = text !== undefined ? folded.get(fold(text)) : undefined
    if (f) return { shown, line: at, field: f, exact: false }
    const likely = text !== undefined ? LIKELY[fold(text)] : undefined
    return { shown, line: at, exact: false, ...(likely && allowed.includes(likely) ? { hint: likely } : {}) }
  })
}

/** The sentences refusing unknown and repeated keys, and the line of the first; undefined when there are none. */
function keyProblems(seen: KeySeen[], what: string): { text: string; line: number } | undefined {
  const byField = new Map<string, KeySeen[]>()
  for (const k of seen) if (k.field) byField.set(k.field, [...(byField.get(k.field) ?? []), k])
  const parts: string[] = []
  const lines: number[] = []
  for (const [field, ks] of byField) {
    if (ks.length < 2) continue
    const times = ks.length === 2 ? 'twice' : `${ks.length} times`
    const as = ks.map((k) => `as ${code(k.shown)} (line ${k.line})`)
    parts.push(`gives ${code(field)} ${times}: ${as.slice(0, -1).join(', ')} and ${as[as.length - 1]}. Keep one, spelled ${code(field)}`)
    lines.push(ks[1].line)
  }
  const unknown = seen.filter((k) => !k.exact && (!k.field || byField.get(k.field)!.length < 2))
  if (unknown.length) {
    const listed = unknown.map(
      (k) =>
        `${code(k.shown)} (line ${k.line}${k.field ? `; write it ${code(k.field)}` : k.hint ? `; did you mean ${code(k.hint)}?` : ''})`,
    )
    parts.push(`has ${unknown.length === 1 ? `a ${what}` : `${what}s`} the inventory does not know: ${listed.join(', ')}`)
    lines.push(unknown[0].line)
  }
  return parts.length ? { text: parts.join('; it also '), line: Math.min(...lines) } : undefined
}

interface Reader {
  file: string
  doc: Document.Parsed
  lineOf(node: { range?: readonly number[] | null } | null | undefined, fallback: number): number
}

/** Parses an inventory; throws InventoryError (never anything else) naming the file and line. */
export function parseInventory(text: string, file: string): InventoryKey[] {
  const lineCounter = new LineCounter()
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true })
  } catch (err) {
    throw new InventoryError(file, 1, `is not YAML or JSON (${firstLine((err as Error).message)})`)
  }
  const lineAt = (offset: number) => Math.max(1, lineCounter.linePos(offset).line)
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    // An unclosed bracket is noticed at the end of the text: point at the last line there is.
    const lastLine = Math.max(1, text.replace(/(\r?\n|\r)+$/, '').split(/\r\n|\n|\r/).length)
    const line = Math.min(e.linePos?.[0].line ?? lineAt(e.pos[0]), lastLine)
    throw new InventoryError(file, line, `is not valid YAML or JSON: ${firstLine(e.message)}`)
  }
  const r: Reader = { file, doc, lineOf: (node, fallback) => (node?.range ? lineAt(node.range[0]) : fallback) }

  let list = resolve(r, doc.contents as Node | null, 1)
  if (isMap(list)) {
    const top = list.items as Pair[]
    const seen = classify(r, top, ['keys'], new Map([['keys', 'keys']]), r.lineOf(list, 1))
    const keys = top.find((p) => isScalar(p.key) && p.key.value === 'keys')
    if (!keys && !seen.some((k) => k.field)) {
      throw new InventoryError(file, r.lineOf(list, 1), `holds a mapping without \`keys:\`; expected ${INVENTORY_FORM}`)
    }
    // Another key beside `keys:` (`Keys:`, `more-keys:`) could hold keys nobody would check.
    const problem = keyProblems(seen, 'key')
    if (problem)
      throw new InventoryError(file, problem.line, `the top-level mapping ${problem.text}. It holds only \`keys:\`, the list of keys`)
    list = resolve(r, keys!.value as Node | null, r.lineOf(keys!.key as Node, 1))
  }
  if (list === null || list === undefined || (isScalar(list) && (list.value === null || list.value === ''))) {
    throw new InventoryError(file, 1, `is empty; expected ${INVENTORY_FORM}`)
  }
  if (!isSeq(list)) throw new InventoryError(file, r.lineOf(list, 1), `does not hold a list; expected ${INVENTORY_FORM}`)
  if (list.items.length === 0) throw new InventoryError(file, r.lineOf(list, 1), 'holds an empty list: no key to check')
  return list.items.map((node, i) => readItem(r, resolve(r, node as Node | null, r.lineOf(list, 1)), i, r.lineOf(list, 1)))
}

function firstLine(message: string): string {
  return message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '')
    .slice(0, 200)
}

/** Follows aliases (`*anchor`) to the node they name; a cycle or dangling alias is an error. */
function resolve(r: Reader, node: Node | null | undefined, line: number): Node | null | undefined {
  let n = node
  for (let hops = 0; isAlias(n); hops++) {
    const target = hops < 20 ? (n.resolve(r.doc) as Node | undefined) : undefined
    if (!target) throw new InventoryError(r.file, r.lineOf(n, line), `the alias *${n.source} does not name an anchor it can use`)
    n = target
  }
  return n
}

function readItem(r: Reader, node: Node | null | undefined, index: number, listLine: number): InventoryKey {
  const line = r.lineOf(node, listLine)
  const where = `item ${index + 1}`
  if (!isMap(node)) throw new InventoryError(r.file, line, `${where} is not a mapping; each key is written with \`name:\` and an expiry`)
  const pairs = node.items as Pair[]
  const problem = keyProblems(classify(r, pairs, FIELDS, FOLDED, line), 'field')
  if (problem) {
    const named = pairs.find((p) => isScalar(p.key) && p.key.value === 'name')?.value
    const nameText =
      isScalar(named) && (typeof named.value === 'string' || typeof named.value === 'number') ? String(named.value).trim() : ''
    const entry = nameText ? `key ${JSON.stringify(nameText.slice(0, 60))} (${where})` : where
    throw new InventoryError(
      r.file,
      problem.line,
      `${entry} ${problem.text}. Each key takes only ${FIELDS.slice(0, -1).map(code).join(', ')} and ${code(FIELDS[FIELDS.length - 1])}; keep notes in YAML comments (# ...)`,
    )
  }
  const fields = new Map<Field, Pair>()
  for (const pair of pairs) fields.set((pair.key as { value: Field }).value, pair)
  const text = (f: Field, allowNumber = false): { value: string; line: number } | undefined => {
    const pair = fields.get(f)
    if (!pair) return undefined
    const valueNode = resolve(r, pair.value as Node | null, r.lineOf(pair.key as Node, line))
    const at = r.lineOf(valueNode, r.lineOf(pair.key as Node, line))
    if (!isScalar(valueNode) || valueNode.value === null || valueNode.value === '')
      throw new InventoryError(r.file, at, `${where}: \`${f}\` has no value`)
    const v = valueNode.value
    if (typeof v === 'string') return { value: v.trim(), line: at }
    if (allowNumber && typeof v === 'number' && Number.isFinite(v)) return { value: String(v), line: at }
    throw new InventoryError(r.file, at, `${where}: \`${f}\` must be text, not ${typeof v === 'number' ? 'a number' : typeof v}`)
  }

  const nameField = text('name', true)
  if (!nameField || nameField.value === '') throw new InventoryError(r.file, line, `${where} has no \`name\``)
  if (nameField.value.length > 200) throw new InventoryError(r.file, nameField.line, `${where}: \`name\` is longer than 200 characters`)
  const name = nameField.value
  const label = `key ${JSON.stringify(name)}`
  const owner = text('owner', true)?.value || undefined

  const instant = (f: Field) => {
    const t = text(f)
    if (!t) return undefined
    const d = parseInstant(t.value)
    if (!d)
      throw new InventoryError(r.file, t.line, `${label}: \`${f}\` is ${JSON.stringify(t.value.slice(0, 60))}; expected ${INSTANT_FORM}`)
    return d
  }
  const duration = (f: Field) => {
    const t = text(f, true)
    if (!t) return undefined
    let ms: number
    try {
      ms = parseDuration(t.value)
    } catch {
      throw new InventoryError(r.file, t.line, `${label}: \`${f}\` is ${JSON.stringify(t.value.slice(0, 60))}; expected ${DURATION_FORM}`)
    }
    if (ms <= 0) throw new InventoryError(r.file, t.line, `${label}: \`${f}\` must be longer than zero`)
    if (ms > MAX_SPAN_MS) {
      throw new InventoryError(
        r.file,
        t.line,
        `${label}: \`${f}\` is ${t.value.slice(0, 60)}, longer than ${MAX_SPAN_TEXT}; give the ${f === 'rotate-every' ? 'rotation period' : 'longest lifetime'}, such as ${f === 'rotate-every' ? '90d' : '365d'}, or an \`expires\` date for a key that has one`,
      )
    }
    return ms
  }

  const sum = (from: Field, at: Date, by: Field, ms: number): Date => {
    const d = addSpan(at, ms)
    if (!d) throw new InventoryError(r.file, line, `${label}: \`${from}\` plus \`${by}\` is past the last date a clock can hold`)
    return d
  }

  const forms = (['expires', 'created', 'rotated'] as const).filter((f) => fields.has(f))
  if (forms.length > 1) {
    throw new InventoryError(
      r.file,
      line,
      `${label} gives ${forms.map((f) => `\`${f}\``).join(' and ')}; give exactly one of \`expires\`, \`created\` + \`max-age\`, \`rotated\` + \`rotate-every\``,
    )
  }
  const stray = (f: Field, needs: string) => {
    if (fields.has(f))
      throw new InventoryError(r.file, r.lineOf(fields.get(f)?.key as Node, line), `${label}: \`${f}\` only goes with \`${needs}\``)
  }
  const base = { name, line, ...(owner ? { owner } : {}) }
  switch (forms[0]) {
    case 'expires': {
      stray('max-age', 'created')
      stray('rotate-every', 'rotated')
      return { ...base, expires: instant('expires') as Date, basis: { kind: 'expires' } }
    }
    case 'created': {
      stray('rotate-every', 'rotated')
      const at = instant('created') as Date
      const maxAge = duration('max-age')
      if (maxAge === undefined) throw new InventoryError(r.file, line, `${label}: \`created\` needs \`max-age\` (such as 365d)`)
      return { ...base, expires: sum('created', at, 'max-age', maxAge), basis: { kind: 'created', at, maxAge } }
    }
    case 'rotated': {
      stray('max-age', 'created')
      const at = instant('rotated') as Date
      const every = duration('rotate-every')
      if (every === undefined) throw new InventoryError(r.file, line, `${label}: \`rotated\` needs \`rotate-every\` (such as 90d)`)
      return { ...base, expires: sum('rotated', at, 'rotate-every', every), basis: { kind: 'rotated', at, every } }
    }
    default:
      throw new InventoryError(
        r.file,
        line,
        `${label} has no expiry: give \`expires\`, or \`created\` with \`max-age\`, or \`rotated\` with \`rotate-every\``,
      )
  }
}
