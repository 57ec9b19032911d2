/**
 * Reads a health endpoint's answer: recognises the IETF health-check format
 * (`application/health+json`), Spring Boot Actuator, MicroProfile Health, Kubernetes
 * `/readyz?verbose` text, other JSON and plain text, and evaluates `path=value` assertions
 * against a JSON body. A failing component fails the reading whatever the top-level word says.
 * Every function here is total: arbitrary input gives a reading, never an exception.
 */
import { InputFormError } from './forms.js'
import type { Status } from '../core/result.js'

export type BodyFormat = 'health+json' | 'spring' | 'k8s' | 'json' | 'text' | 'empty'

export interface BodyReading {
  format: BodyFormat
  /** The media type without parameters, lower-cased; '' when the response had none. */
  mime: string
  /** The parsed body, when it is JSON. */
  json?: { value: unknown }
  /** What the body's own top-level word says; absent when it says nothing and the status code decides. */
  verdict?: Status
  /** True when `verdict` comes from the top-level `status` field (an assertion on `status` replaces it). */
  fromStatusField?: boolean
  /**
   * The worst of the components, when one is not passing. Kept apart from `verdict` because no
   * assertion on the top-level `status` may hide a failing component.
   */
  componentVerdict?: Status
  /** The health word as the service wrote it: `pass`, `UP`, `failed`, `banana`, `null`. */
  reported?: string
  /** A clause on the body's verdict: `the service reports fail: database unreachable`. */
  summary?: string
  /** Components that are not healthy, a clause each: `component db:responseTime is fail: connection refused`. */
  components: string[]
  /** Total number of components seen (for `all 12 checks pass`). */
  componentCount: number
  /** What the body says besides its verdict (a Kubernetes check excluded on request). */
  notes?: string[]
  /** Set when the body itself is the problem rather than the health it reports. */
  problem?: 'unparsable' | 'no-status' | 'unrecognised'
  /** For an unrecognised status: the `expect` assertion that would state what the service means. */
  hint?: string
}

const IETF: Record<string, Status> = {
  pass: 'pass',
  ok: 'pass',
  up: 'pass',
  warn: 'warn',
  degraded: 'warn',
  fail: 'fail',
  error: 'fail',
  down: 'fail',
}
const SPRING: Record<string, Status> = { UP: 'pass', DOWN: 'fail', OUT_OF_SERVICE: 'fail', UNKNOWN: 'fail' }
/**
 * A component's word, from any of the formats. A component whose health is UNKNOWN beside others
 * that answer is degraded rather than down (Spring itself ranks UNKNOWN below UP when it aggregates).
 */
const COMPONENT_SPRING: Record<string, Status> = { UP: 'pass', DOWN: 'fail', OUT_OF_SERVICE: 'fail', UNKNOWN: 'warn' }
const RANK: Record<Status, number> = { pass: 0, warn: 1, fail: 2 }

export const KNOWN_STATUSES =
  'pass/ok/up, warn/degraded, fail/error/down (IETF health check) or UP/DOWN/OUT_OF_SERVICE/UNKNOWN (Spring Boot)'

/** How many components a message names before saying `and N more`. */
const MAX_NAMED = 8
/** Spring components nest; deeper than this is not a health document worth walking. */
const MAX_DEPTH = 32

/** `application/health+json; charset=utf-8` → `application/health+json`. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase()
}

export function isJsonMedia(mime: string): boolean {
  return mime === 'application/json' || mime === 'text/json' || mime.endsWith('+json')
}

/** One line, at most `max` characters, for quoting a body or a component's output in a sentence. */
export function snippet(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim()
  return one.length > max ? one.slice(0, max - 1) + '…' : one
}

/** A JSON value as an assertion compares it: strings as they are, numbers, booleans and null through String(). */
export function renderJsonValue(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v)
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return Array.isArray(v) ? '[array]' : '[object]'
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined
}

function capped(items: string[]): string[] {
  const unique = [...new Set(items)]
  return unique.length <= MAX_NAMED ? unique : [...unique.slice(0, MAX_NAMED), `and ${unique.length - MAX_NAMED} more`]
}

function worstOf(statuses: Status[]): Status {
  return statuses.reduce<Status>((w, s) => (RANK[s] > RANK[w] ? s : w), 'pass')
}

/** A status that is not a string, as a sentence names it: `null`, `an object ({"code":"DOWN"})`. */
function describeValue(v: unknown): string {
  if (v === null || typeof v === 'boolean') return String(v)
  if (typeof v === 'number') return `the number ${v}`
  if (typeof v === 'string') return JSON.stringify(snippet(v, 40))
  if (Array.isArray(v)) return `an array (${snippet(renderJsonValue(v), 40)})`
  return `an object (${snippet(renderJsonValue(v), 40)})`
}

/** Classifies a body from its content type and text. Never throws. */
export function classifyBody(contentType: string | null | undefined, text: string): BodyReading {
  const mime = mediaType(contentType)
  const base = { mime, components: [], componentCount: 0 }
  const trimmed = text.trim()
  const declaredJson = isJsonMedia(mime)
  if (trimmed === '') {
    if (!declaredJson) return { ...base, format: 'empty' }
    // A JSON body with nothing in it says nothing about health: the status code alone must not pass it.
    return { ...base, format: 'empty', verdict: 'fail', problem: 'unparsable', summary: `the body is declared ${mime} but is empty` }
  }

  if (declaredJson || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch (err) {
      if (!declaredJson) return classifyText(base, trimmed)
      const why = err instanceof Error ? snippet(err.message, 100) : 'unparsable'
      return {
        ...base,
        format: 'json',
        verdict: 'fail',
        problem: 'unparsable',
        summary: `the body is declared ${mime} but is not valid JSON (${why})`,
      }
    }
    return classifyJson(base, value)
  }
  return classifyText(base, trimmed)
}

type Base = Pick<BodyReading, 'mime' | 'components' | 'componentCount'>

/** One component that is not passing. */
interface Finding {
  status: Status
  text: string
}

interface Components {
  bad: Finding[]
  count: number
}

/**
 * The components of a JSON health body, whatever its top-level word: IETF `checks` (a map of
 * arrays, or MicroProfile's array) and Spring `components`/`details`. Read both, so a body cannot
 * hide a failing component behind the format its top-level word suggests.
 */
function componentsOf(root: Record<string, unknown>): Components {
  const ietf = ietfComponents(own(root, 'checks'))
  const spring = springComponents(root)
  return { bad: [...ietf.bad, ...spring.bad], count: ietf.count + spring.count }
}

/** A component's health word in any of the formats, case-insensitive; undefined when it is none. */
function componentWord(word: string): Status | undefined {
  return COMPONENT_SPRING[word.toUpperCase()] ?? IETF[word.toLowerCase()]
}

/** The reading of a component's status; `status` is what the body holds there. */
function judgeComponent(name: string, status: unknown, detail: string): Finding | undefined {
  if (typeof status === 'string') {
    const verdict = componentWord(status)
    if (verdict === 'pass') return undefined
    if (verdict !== undefined) return { status: verdict, text: `component ${name} is ${snippet(status, 40)}${detail}` }
  }
  return { status: 'fail', text: `component ${name} is ${describeValue(status)}, not a recognised health status${detail}` }
}

const because = (why: unknown) => (typeof why === 'string' && why.trim() ? `: ${snippet(why, 160)}` : '')

function classifyJson(base: Base, value: unknown): BodyReading {
  const json = { value }
  const healthJson = base.mime === 'application/health+json'
  if (!isObject(value)) return { ...base, json, format: healthJson ? 'health+json' : 'json' }
  const components = componentsOf(value)
  const componentVerdict = worstOf(components.bad.map((b) => b.status))
  const parts = {
    components: capped(components.bad.map((b) => b.text)),
    componentCount: components.count,
    ...(componentVerdict !== 'pass' ? { componentVerdict } : {}),
  }
  if (!Object.hasOwn(value, 'status')) {
    if (healthJson) {
      return {
        ...base,
        ...parts,
        json,
        format: 'health+json',
        verdict: 'fail',
        fromStatusField: true,
        problem: 'no-status',
        summary: 'the application/health+json body has no `status` string',
      }
    }
    return { ...base, ...parts, json, format: 'json' }
  }
  const status = value.status
  const unrecognised = (reported: string, hint: string, summary: string): BodyReading => ({
    ...base,
    ...parts,
    json,
    format: healthJson ? 'health+json' : 'json',
    verdict: 'fail',
    fromStatusField: true,
    problem: 'unrecognised',
    reported,
    hint,
    summary: `${summary} not a recognised health status (expected ${KNOWN_STATUSES})`,
  })
  if (typeof status !== 'string') {
    // `"status": null` or `{"code": "DOWN"}` is not a health word: it cannot pass on its own.
    const field = isObject(status) ? Object.keys(status).find((k) => typeof status[k] === 'string') : undefined
    return unrecognised(
      snippet(renderJsonValue(status), 40),
      `${field ? `status.${snippet(field, 40)}` : 'status'}=<the value it has when healthy>`,
      `the body's status is ${describeValue(status)},`,
    )
  }
  const reported = snippet(status, 40)
  const ietf = IETF[status.toLowerCase()]
  const spring = SPRING[status] ?? (ietf === undefined ? SPRING[status.toUpperCase()] : undefined)
  /** `the service reports pass`, and why the components make it worse when they do. */
  const says = (word: string, top: Status, why: string) => {
    if (RANK[componentVerdict] <= RANK[top]) return `the service reports ${word}${why}`
    const n = components.bad.length
    return `the service reports ${word}${why}, but ${n} of ${components.count} component check${components.count === 1 ? '' : 's'} ${n === 1 ? 'is' : 'are'} not passing`
  }

  if ((healthJson || SPRING[status] === undefined) && ietf !== undefined) {
    const why = ietf !== 'pass' ? because(own(value, 'output')) : ''
    return {
      ...base,
      ...parts,
      json,
      format: 'health+json',
      verdict: ietf,
      fromStatusField: true,
      reported,
      summary: says(reported, ietf, why),
    }
  }
  if (spring !== undefined) {
    const word = status.toUpperCase()
    const why = word === 'UNKNOWN' ? ': its health could not be established' : ''
    return {
      ...base,
      ...parts,
      json,
      format: 'spring',
      verdict: spring,
      fromStatusField: true,
      reported: word,
      summary: says(word, spring, why),
    }
  }
  return unrecognised(reported, `status=${reported}`, `the body's status "${reported}" is`)
}

/**
 * IETF `checks`: `{ "db:responseTime": [{ componentId, componentType, status, output }] }`, or
 * MicroProfile Health's `[{ name, status, data }]`. A check's status is optional in the draft; one
 * that is there must be a health word.
 */
function ietfComponents(checks: unknown): Components {
  const bad: Finding[] = []
  let count = 0
  const one = (key: string, entry: unknown) => {
    if (typeof entry === 'string') entry = { status: entry }
    if (!isObject(entry)) return
    count++
    if (!Object.hasOwn(entry, 'status')) return
    const id = own(entry, 'componentId')
    const named = `${snippet(key, 60)}${typeof id === 'string' && id && id !== key ? ` (${snippet(id, 40)})` : ''}`
    const found = judgeComponent(named, entry.status, because(own(entry, 'output')))
    if (found) bad.push(found)
  }
  if (Array.isArray(checks)) {
    checks.forEach((entry, i) => {
      const name = isObject(entry) ? own(entry, 'name') : undefined
      one(typeof name === 'string' && name ? name : `#${i + 1}`, entry)
    })
  } else if (isObject(checks)) {
    for (const [key, entries] of Object.entries(checks)) for (const entry of Array.isArray(entries) ? entries : [entries]) one(key, entry)
  }
  return { bad, count }
}

/**
 * Spring Boot: `components` (Boot 2.2+), where every entry is a component and must carry a status,
 * or `details` (Boot 2.0/2.1), where only entries with a health word are components: the rest is
 * the indicator's data (an Elasticsearch cluster's `"status": "yellow"` sits there).
 */
function springChildren(node: Record<string, unknown>): [string, unknown][] {
  const components = own(node, 'components')
  if (isObject(components)) return Object.entries(components)
  const details = own(node, 'details')
  if (!isObject(details)) return []
  return Object.entries(details).filter(([, v]) => {
    const status = isObject(v) ? own(v, 'status') : undefined
    return typeof status === 'string' && componentWord(status) !== undefined
  })
}

function springComponents(root: Record<string, unknown>): Components {
  const bad: Finding[] = []
  let count = 0
  // Depth-capped, so a hostile body cannot exhaust the stack. Returns the worst verdict named below `node`.
  const walk = (node: Record<string, unknown>, path: string, depth: number): Status => {
    if (depth > MAX_DEPTH) {
      // What is not read is not measured: a failure could sit below, so it is not a pass.
      if (springChildren(node).length === 0) return 'pass'
      bad.push({
        status: 'fail',
        text: `components nest deeper than ${MAX_DEPTH} levels below ${snippet(path, 80)}; the rest was not read`,
      })
      return 'fail'
    }
    let named: Status = 'pass'
    for (const [name, child] of springChildren(node)) {
      count++
      const childPath = path ? `${path}/${name}` : name
      const deeper = isObject(child) ? walk(child, childPath, depth + 1) : 'pass'
      const details = isObject(child) ? own(child, 'details') : undefined
      const found = judgeComponent(
        snippet(childPath, 80),
        isObject(child) ? own(child, 'status') : undefined,
        because(isObject(details) ? own(details, 'error') : undefined),
      )
      // A composite that is DOWN because a member is DOWN is named through that member only.
      if (found && RANK[found.status] > RANK[deeper]) bad.push(found)
      named = worstOf([named, deeper, found?.status ?? 'pass'])
    }
    return named
  }
  try {
    walk(root, '', 0)
  } catch {
    // A pathological document: report what was collected.
  }
  return { bad, count }
}

const K8S_LINE = /^\[([+-])\](\S+)\s*(.*)$/
const K8S_FINAL = /^(\w+) check (passed|failed)$/
const K8S_WARN = /^warn: (.+)$/

function classifyText(base: Base, text: string): BodyReading {
  const lines = text.split(/\r?\n/).map((l) => l.trim())
  let count = 0
  const bad: string[] = []
  const notes: string[] = []
  let final: string | undefined
  for (const line of lines) {
    const m = K8S_LINE.exec(line)
    if (m) {
      count++
      if (m[1] === '-') bad.push(`${snippet(m[2], 80)} ${snippet(m[3], 160) || 'failed'}`.trim())
      else if (/^excluded\b/.test(m[3])) notes.push(`${snippet(m[2], 80)} excluded (not checked, as the URL asked)`)
      continue
    }
    const w = K8S_WARN.exec(line)
    if (w) notes.push(`the server warns: ${snippet(w[1], 160)}`)
    const f = K8S_FINAL.exec(line)
    if (f) final = f[2]
  }
  if (count === 0 && final === undefined) return { ...base, format: 'text' }
  const failed = bad.length > 0 || final === 'failed'
  const summary = failed
    ? bad.length > 0
      ? `${bad.length} of ${count} readiness checks failed`
      : 'the readiness check reports failed'
    : `all ${count} readiness checks pass`
  return {
    ...base,
    format: 'k8s',
    verdict: failed ? 'fail' : 'pass',
    reported: failed ? 'failed' : 'passed',
    summary,
    components: capped(bad),
    componentCount: count,
    ...(notes.length ? { notes: capped(notes) } : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// `expect` assertions

export interface Assertion {
  /** As written: `checks.db.0.status=pass`. */
  text: string
  path: string
  segments: string[]
  value: string
}

export const EXPECT_FORM = 'JSON assertions written `path=value`, one per line, such as status=ok or checks.db.0.status=pass'

export function parseAssertions(raw: string): Assertion[] {
  const lines = raw
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (lines.length === 0) throw new InputFormError(raw, EXPECT_FORM)
  return lines.map((line) => {
    const eq = line.indexOf('=')
    if (eq < 0) throw new InputFormError(line, EXPECT_FORM)
    const path = line.slice(0, eq).trim()
    const value = line.slice(eq + 1).trim()
    const segments = path.split('.')
    if (path === '' || segments.some((s) => s.trim() === '')) throw new InputFormError(line, EXPECT_FORM)
    return { text: `${path}=${value}`, path, segments: segments.map((s) => s.trim()), value }
  })
}

export type Lookup = { found: true; value: unknown } | { found: false; missing: string }

/** Follows a dot path through objects and arrays (numeric segments index arrays). */
export function lookup(root: unknown, segments: string[]): Lookup {
  let cur = root
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]
    if (Array.isArray(cur) && /^\d+$/.test(seg) && Number(seg) < cur.length) cur = cur[Number(seg)]
    else if (isObject(cur) && Object.hasOwn(cur, seg)) cur = cur[seg]
    else return { found: false, missing: segments.slice(0, i + 1).join('.') }
  }
  return { found: true, value: cur }
}

export interface AssertionResult {
  assertion: Assertion
  ok: boolean
  /** `status=degraded`, `status missing`. */
  observed: string
  /** A clause saying what went wrong (absent when ok). */
  problem?: string
}

/** Checks one assertion against a reading: a body that is not JSON fails every assertion. */
export function checkAssertion(a: Assertion, reading: BodyReading, text: string): AssertionResult {
  if (!reading.json) {
    const got = reading.mime || 'a body with no content type'
    const quoted = text.trim() ? ` (${JSON.stringify(snippet(text, 60))})` : ' (empty)'
    return { assertion: a, ok: false, observed: 'not JSON', problem: `expected a JSON body for \`${a.text}\`, got ${got}${quoted}` }
  }
  const r = lookup(reading.json.value, a.segments)
  if (!r.found) {
    const where = r.missing === a.path ? '' : ` (no \`${r.missing}\`)`
    return {
      assertion: a,
      ok: false,
      observed: `${a.path} missing`,
      problem: `\`${a.path}\` is missing${where}, expected ${JSON.stringify(a.value)}`,
    }
  }
  const seen = renderJsonValue(r.value)
  if (seen === a.value) return { assertion: a, ok: true, observed: `${a.path}=${snippet(seen, 60)}` }
  return {
    assertion: a,
    ok: false,
    observed: `${a.path}=${snippet(seen, 60)}`,
    problem: `\`${a.path}\` is ${JSON.stringify(snippet(seen, 60))}, expected ${JSON.stringify(a.value)}`,
  }
}
