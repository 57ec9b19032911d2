/**
 * Reads a health endpoint's answer: recognises the IETF health-check format
 * (`application/health+json`), Spring Boot Actuator, Kubernetes `/readyz?verbose` text, other
 * JSON and plain text, and evaluates `path=value` assertions against a JSON body.
 * Every function here is total: arbitrary input gives a reading, never an exception.
 */
import { InputFormError } from '../core/units.js'
import type { Status } from '../core/result.js'

export type BodyFormat = 'health+json' | 'spring' | 'k8s' | 'json' | 'text' | 'empty'

export interface BodyReading {
  format: BodyFormat
  /** The media type without parameters, lower-cased; '' when the response had none. */
  mime: string
  /** The parsed body, when it is JSON. */
  json?: { value: unknown }
  /** What the body says on its own; absent when it says nothing and the status code decides. */
  verdict?: Status
  /** True when `verdict` comes from the top-level `status` field (an assertion on `status` replaces it). */
  fromStatusField?: boolean
  /** The health word as the service wrote it: `pass`, `UP`, `failed`, `banana`. */
  reported?: string
  /** A clause on the body's verdict: `the service reports fail: database unreachable`. */
  summary?: string
  /** Components that are not healthy, a clause each: `component db:responseTime is fail: connection refused`. */
  components: string[]
  /** Total number of components seen (for `all 12 checks pass`). */
  componentCount: number
  /** Set when the body itself is the problem rather than the health it reports. */
  problem?: 'unparsable' | 'no-status' | 'unrecognised'
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
const SPRING_BAD = new Set(['DOWN', 'OUT_OF_SERVICE'])

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
  return items.length <= MAX_NAMED ? items : [...items.slice(0, MAX_NAMED), `and ${items.length - MAX_NAMED} more`]
}

/** Classifies a body from its content type and text. Never throws. */
export function classifyBody(contentType: string | null | undefined, text: string): BodyReading {
  const mime = mediaType(contentType)
  const base = { mime, components: [], componentCount: 0 }
  const trimmed = text.trim()
  const declaredJson = isJsonMedia(mime)
  if (trimmed === '') return { ...base, format: 'empty' }

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

function classifyJson(base: Base, value: unknown): BodyReading {
  const json = { value }
  const healthJson = base.mime === 'application/health+json'
  const status = isObject(value) ? own(value, 'status') : undefined
  if (typeof status !== 'string') {
    if (healthJson) {
      return {
        ...base,
        json,
        format: 'health+json',
        verdict: 'fail',
        fromStatusField: true,
        problem: 'no-status',
        summary: 'the application/health+json body has no `status` string',
      }
    }
    return { ...base, json, format: 'json' }
  }
  const obj = value as Record<string, unknown>
  const reported = snippet(status, 40)
  const ietf = IETF[status.toLowerCase()]
  const spring = SPRING[status] ?? (ietf === undefined ? SPRING[status.toUpperCase()] : undefined)

  if ((healthJson || SPRING[status] === undefined) && ietf !== undefined) {
    const components = ietfComponents(own(obj, 'checks'))
    const output = own(obj, 'output')
    const why = ietf !== 'pass' && typeof output === 'string' && output.trim() ? `: ${snippet(output, 160)}` : ''
    return {
      ...base,
      json,
      format: 'health+json',
      verdict: ietf,
      fromStatusField: true,
      reported,
      summary: `the service reports ${reported}${why}`,
      components: capped(components.bad),
      componentCount: components.count,
    }
  }
  if (spring !== undefined) {
    const word = status.toUpperCase()
    const components = springComponents(obj)
    const summary = word === 'UNKNOWN' ? 'the service reports UNKNOWN: its health could not be established' : `the service reports ${word}`
    return {
      ...base,
      json,
      format: 'spring',
      verdict: spring,
      fromStatusField: true,
      reported: word,
      summary,
      components: capped(components.bad),
      componentCount: components.count,
    }
  }
  return {
    ...base,
    json,
    format: healthJson ? 'health+json' : 'json',
    verdict: 'fail',
    fromStatusField: true,
    problem: 'unrecognised',
    reported,
    summary: `the body's status "${reported}" is not a recognised health status (expected ${KNOWN_STATUSES})`,
  }
}

/** IETF `checks`: `{ "db:responseTime": [{ componentId, componentType, status, output }] }`. */
function ietfComponents(checks: unknown): { bad: string[]; count: number } {
  const bad: string[] = []
  let count = 0
  if (!isObject(checks)) return { bad, count }
  for (const [key, entries] of Object.entries(checks)) {
    const list = Array.isArray(entries) ? entries : [entries]
    for (const entry of list) {
      if (!isObject(entry)) continue
      count++
      const status = own(entry, 'status')
      if (typeof status !== 'string') continue
      const verdict = IETF[status.toLowerCase()] ?? SPRING[status.toUpperCase()]
      if (verdict === 'pass') continue
      const id = own(entry, 'componentId')
      const output = own(entry, 'output')
      const named = `component ${snippet(key, 60)}${typeof id === 'string' && id && id !== key ? ` (${snippet(id, 40)})` : ''}`
      const word = verdict === undefined ? `"${snippet(status, 40)}", not a recognised health status` : snippet(status, 40)
      bad.push(`${named} is ${word}${typeof output === 'string' && output.trim() ? `: ${snippet(output, 160)}` : ''}`)
    }
  }
  return { bad, count }
}

/** Spring Boot: `components` (Boot 2.2+) or `details` (Boot 2.0/2.1) maps of `{ status, components?, details? }`. */
function springChildren(node: Record<string, unknown>): [string, Record<string, unknown>][] {
  for (const key of ['components', 'details']) {
    const map = own(node, key)
    if (!isObject(map)) continue
    const children = Object.entries(map).filter(
      (e): e is [string, Record<string, unknown>] => isObject(e[1]) && typeof own(e[1], 'status') === 'string',
    )
    if (children.length > 0) return children
  }
  return []
}

function springComponents(root: Record<string, unknown>): { bad: string[]; count: number } {
  const bad: string[] = []
  let count = 0
  // Depth-capped, so a hostile body cannot exhaust the stack.
  const walk = (node: Record<string, unknown>, path: string, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false
    let badChild = false
    for (const [name, child] of springChildren(node)) {
      count++
      const childPath = path ? `${path}/${name}` : name
      const word = String(own(child, 'status')).toUpperCase()
      const isBad = SPRING_BAD.has(word) || IETF[word.toLowerCase()] === 'fail'
      const deeper = walk(child, childPath, depth + 1)
      if (isBad && !deeper) {
        const details = own(child, 'details')
        const error = isObject(details) ? own(details, 'error') : undefined
        bad.push(
          `component ${snippet(childPath, 80)} is ${snippet(word, 40)}${typeof error === 'string' && error.trim() ? `: ${snippet(error, 160)}` : ''}`,
        )
      }
      badChild ||= isBad
    }
    return badChild
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

function classifyText(base: Base, text: string): BodyReading {
  const lines = text.split(/\r?\n/).map((l) => l.trim())
  let count = 0
  const bad: string[] = []
  let final: string | undefined
  for (const line of lines) {
    const m = K8S_LINE.exec(line)
    if (m) {
      count++
      if (m[1] === '-') bad.push(`${snippet(m[2], 80)} ${snippet(m[3], 160) || 'failed'}`.trim())
      continue
    }
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
