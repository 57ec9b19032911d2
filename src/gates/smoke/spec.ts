/**
 * The smoke gate's inputs: `steps`, an ordered HTTP flow written in YAML, each step a request,
 * what its answer must be, and the values it captures for later steps (`{{tx}}`). Everything a
 * step can get wrong is refused here, before a request is sent: an unknown key, a header value
 * left empty by an unset secret, a `{{name}}` no earlier step captures, a captured value placed
 * where it would choose the host that receives the secret headers.
 */
import type { ActionMeta } from '../../core/gate.js'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { input } from '../../core/inputs.js'
import { InputFormError, boundedDuration, parseDuration, parseStatusRanges, type StatusRange } from '../../core/units.js'
import { hasUserinfo, urlSecrets } from '../../lib/url.js'
import { EXPECT_FORM, parseAssertions, type Assertion } from '../../lib/health-body.js'
import { headerSecrets, parseHeaders } from '../../lib/headers.js'

/** `{{ name }}`: a value captured by an earlier step. */
export const REF = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g
/** The same, to test and split by (no group, no state). */
const A_REF = /\{\{\s*[A-Za-z_][A-Za-z0-9_-]*\s*\}\}/
const ANY_BRACES = /\{\{|\}\}/

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
export type Method = (typeof METHODS)[number]

export interface Capture {
  name: string
  /** As written: `balance.available`. */
  path: string
  segments: string[]
}

export interface Step {
  name: string
  method: Method
  /** May hold `{{name}}` in its path and query. */
  url: string
  /** Values may hold `{{name}}`; all are secret. */
  headers: [name: string, value: string][]
  /** A JSON value whose strings may hold `{{name}}`. */
  body?: unknown
  expectStatus: StatusRange[]
  /** Values may hold `{{name}}`. */
  expect: Assertion[]
  capture: Capture[]
  /** Repeat the step until it passes, for up to this long (0: once). */
  wait: number
  interval: number
}

export const STEPS_FORM =
  'a YAML list of steps, each a mapping with `name`, `url` and optionally `method`, `headers`, `body`, `expect-status`, `expect`, `capture`, `wait` and `interval`'

const KEYS = ['name', 'method', 'url', 'headers', 'body', 'expect-status', 'expect', 'capture', 'wait', 'interval']
const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
const DEFAULT_STATUS = '200-299'
const HOUR = 3_600_000

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return undefined
}

/** The names a text refers to, or a sentence when it holds braces that are not a reference. */
function refsIn(text: string): string[] {
  const names = [...text.matchAll(REF)].map((m) => m[1])
  if (ANY_BRACES.test(text.replace(REF, ''))) throw new Error('holds `{{` or `}}` that is not a reference written `{{name}}`')
  return names
}

function refsInValue(v: unknown): string[] {
  if (typeof v === 'string') return refsIn(v)
  if (Array.isArray(v)) return v.flatMap(refsInValue)
  if (isMapping(v)) return Object.values(v).flatMap(refsInValue)
  return []
}

/** Reads the YAML (a list, or a string holding one): never quotes it, as header values are secrets. */
function readList(raw: string, nested = false): unknown[] {
  let doc: unknown
  try {
    // Errors only: the library's warnings quote the source line, and a header value is a secret.
    doc = parseYaml(raw, { logLevel: 'error' })
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line
    throw new InputFormError('(hidden)', `${STEPS_FORM} (the YAML does not parse${line ? ` at line ${line}` : ''})`)
  }
  // A YAML string holding the list, as an action input or a `steps: |` block gives it.
  if (typeof doc === 'string' && !nested) return readList(doc, true)
  if (!Array.isArray(doc) || doc.length === 0) throw new InputFormError('(hidden)', `${STEPS_FORM} (it is not a list of steps)`)
  return doc
}

export function parseSteps(raw: string): Step[] {
  const list = readList(raw)
  const captured = new Set<string>()
  const names = new Set<string>()
  return list.map((item, i) => {
    const at = `step ${i + 1}`
    const refuse = (why: string): never => {
      throw new InputFormError('(hidden)', `${STEPS_FORM} (${why})`)
    }
    if (!isMapping(item)) return refuse(`${at} is not a mapping`)
    const unknown = Object.keys(item).filter((k) => !KEYS.includes(k))
    if (unknown.length)
      refuse(`${at} has ${unknown.map((k) => `\`${k}\``).join(', ')}; a step takes ${KEYS.map((k) => `\`${k}\``).join(', ')}`)
    const name = scalar(item.name)?.trim()
    if (!name) return refuse(`${at} has no \`name\``)
    if (name.length > 100 || /[\r\n]/.test(name)) refuse(`${at}: \`name\` must be one line of at most 100 characters`)
    if (names.has(name)) refuse(`two steps are named \`${name}\`; names must be unique`)
    names.add(name)
    const where = `step \`${name}\``
    const refs = (label: string, v: unknown): string[] => {
      try {
        return refsInValue(v)
      } catch (err) {
        return refuse(`${where}: \`${label}\` ${(err as Error).message}`)
      }
    }
    const uses: [label: string, names: string[]][] = []

    const method = (scalar(item.method) ?? 'GET').trim().toUpperCase() as Method
    if (!METHODS.includes(method)) refuse(`${where}: \`method\` must be one of ${METHODS.join(', ')}`)

    const url = scalar(item.url)?.trim()
    if (!url) return refuse(`${where} has no \`url\``)
    uses.push(['url', refs('url', url)])
    checkUrl(url, where, refuse)

    const headers: [string, string][] = []
    if (item.headers !== undefined && item.headers !== null) {
      if (!isMapping(item.headers)) refuse(`${where}: \`headers\` must be a mapping \`Name: value\``)
      const lines: string[] = []
      for (const [k, v] of Object.entries(item.headers as Record<string, unknown>)) {
        const value = scalar(v) ?? ''
        if (/[\r\n]/.test(value)) refuse(`${where}: the value of header \`${k}\` holds a line break`)
        lines.push(`${k}: ${value}`)
      }
      if (lines.length === 0) refuse(`${where}: \`headers\` is empty`)
      try {
        headers.push(...parseHeaders(lines.join('\n')))
      } catch (err) {
        refuse(`${where}: \`headers\`: ${(err as InputFormError).accepted ?? 'not valid'}`)
      }
      uses.push([
        'headers',
        refs(
          'headers',
          headers.map(([, v]) => v),
        ),
      ])
    }

    let body: unknown
    if (item.body !== undefined && item.body !== null) {
      if (typeof item.body !== 'object') refuse(`${where}: \`body\` must be a mapping (or a list), sent as JSON`)
      if (method === 'GET' || method === 'HEAD') refuse(`${where}: a ${method} request has no body; give \`method: POST\` (or PUT, PATCH)`)
      body = item.body
      uses.push(['body', refs('body', body)])
    }

    let expectStatus: StatusRange[]
    try {
      const s = item['expect-status']
      expectStatus = parseStatusRanges(Array.isArray(s) ? s.map(String).join(',') : (scalar(s) ?? DEFAULT_STATUS))
    } catch (err) {
      return refuse(`${where}: \`expect-status\`: expected ${(err as InputFormError).accepted}`)
    }

    let expect: Assertion[] = []
    if (item.expect !== undefined && item.expect !== null) {
      const lines = Array.isArray(item.expect) ? item.expect.map((x) => scalar(x) ?? '') : [scalar(item.expect) ?? '']
      try {
        expect = parseAssertions(lines.join('\n'))
      } catch {
        return refuse(`${where}: \`expect\`: expected ${EXPECT_FORM}`)
      }
      uses.push([
        'expect',
        refs(
          'expect',
          expect.map((a) => a.value),
        ),
      ])
    }

    const duration = (key: 'wait' | 'interval', fallback: string, min: number) => {
      const v = scalar(item[key]) ?? fallback
      try {
        const ms = parseDuration(v)
        if (ms < min || ms > HOUR) throw new Error()
        return ms
      } catch {
        return refuse(`${where}: \`${key}\` must be a duration from ${min === 0 ? '0s' : '1ms'} to 1h, such as 30s`)
      }
    }
    const wait = duration('wait', '0s', 0)
    const interval = duration('interval', '1s', 1)

    // References are checked before this step's captures: a step reads only what came before it.
    for (const [label, used] of uses) {
      const missing = used.filter((n) => !captured.has(n))
      if (missing.length)
        refuse(
          `${where}: \`${label}\` uses ${missing.map((n) => `{{${n}}}`).join(', ')}, which no earlier step captures${captured.size ? ` (captured so far: ${[...captured].join(', ')})` : ''}`,
        )
    }

    const capture: Capture[] = []
    if (item.capture !== undefined && item.capture !== null) {
      if (!isMapping(item.capture) || Object.keys(item.capture).length === 0)
        refuse(`${where}: \`capture\` must be a mapping \`name: json.path\`, such as \`tx: id\``)
      for (const [cname, p] of Object.entries(item.capture as Record<string, unknown>)) {
        const path = scalar(p)?.trim() ?? ''
        if (!CAPTURE_NAME.test(cname))
          refuse(`${where}: capture name \`${cname}\` must be letters, digits, \`_\` and \`-\`, starting with a letter`)
        const segments = path.split('.').map((s) => s.trim())
        if (path === '' || segments.some((s) => s === ''))
          refuse(`${where}: capture \`${cname}\` needs a JSON path such as \`id\` or \`balance.available\``)
        if (captured.has(cname)) refuse(`${where}: \`${cname}\` is captured by an earlier step already; give it another name`)
        capture.push({ name: cname, path, segments })
      }
      for (const c of capture) captured.add(c.name)
    }

    return { name, method, url, headers, ...(body !== undefined ? { body } : {}), expectStatus, expect, capture, wait, interval }
  })
}

/**
 * The URL must be absolute http(s) with its host written out: a captured value may fill in a
 * path or a query, never the scheme, host or port, or a service's answer would pick where the
 * flow's secret headers go next.
 */
function checkUrl(url: string, where: string, refuse: (why: string) => never): void {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(url)
  if (!m) refuse(`${where}: \`url\` must be an absolute http:// or https:// URL`)
  if (A_REF.test(m![0]) || /\{\{/.test(m![0]))
    refuse(
      `${where}: \`url\` takes a captured value in its scheme, host or port; write the host out, and use {{name}} in the path or query`,
    )
  if (hasUserinfo(url)) refuse(`${where}: \`url\` holds user-info (user:password@); send credentials in \`headers\``)
  let parsed: URL
  try {
    parsed = new URL(url.replace(REF, 'x'))
  } catch {
    return refuse(`${where}: \`url\` is not a valid URL`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') refuse(`${where}: \`url\` must be http:// or https://`)
}

/**
 * What to mask for `steps`, leniently (a list that does not parse still gets its header values
 * found where they can be): every header value's literal parts and credential, and the secrets
 * of every URL (user-info, query values).
 */
export function stepsSecrets(raw: string): string[] {
  let list: unknown[]
  try {
    list = readList(raw)
  } catch {
    return []
  }
  const out: string[] = []
  for (const item of list) {
    if (!isMapping(item)) continue
    const url = scalar(item.url)
    if (url) out.push(...urlSecrets(url))
    if (!isMapping(item.headers)) continue
    for (const [k, v] of Object.entries(item.headers)) {
      const value = scalar(v)
      if (!value) continue
      for (const piece of value.split(A_REF)) {
        if (piece.trim().length < 3) continue
        out.push(...headerSecrets(`${k}: ${piece.trim()}`))
        // A cookie's value may come back without its name (`session=abc` echoed as `abc`).
        if (/^cookie$/i.test(k)) for (const pair of piece.split(';')) out.push(pair.slice(pair.indexOf('=') + 1).trim())
      }
    }
  }
  return out.filter((s) => s.length >= 3 && !A_REF.test(s))
}

/** Capture names used in any header: their values are secrets too, once captured. */
export function secretCaptures(steps: Step[]): Set<string> {
  const out = new Set<string>()
  for (const s of steps) for (const [, v] of s.headers) for (const m of v.matchAll(REF)) out.add(m[1])
  return out
}

const TIMEOUT_FORM = 'a duration above zero and at most 1h, such as 5s or 30s'

export const smokeInputs = {
  steps: input.custom(
    'yaml',
    STEPS_FORM,
    parseSteps,
    stringifyYaml,
  )(
    'The flow, in order: a YAML list (or a YAML string holding one) of steps, each with `name`, `method`, `url`, `headers` (a mapping; every value is a secret), `body` (a mapping sent as JSON), `expect-status` (default 200-299), `expect` (`path=value`, one or a list), `capture` (a mapping `name: json.path`) and optionally `wait` and `interval` (repeat the step until it passes); later steps read captured values as `{{name}}` in URLs, headers, bodies and `expect`.',
    { required: true, secret: stepsSecrets },
  ),
  timeout: input.custom(
    'string',
    TIMEOUT_FORM,
    boundedDuration(1, HOUR, TIMEOUT_FORM),
  )('Time limit for each request (connect, headers and body), such as 10s.', { default: '10s' }),
  'flow-timeout': input.custom(
    'string',
    TIMEOUT_FORM,
    boundedDuration(1, HOUR, TIMEOUT_FORM),
  )('Time limit for the whole flow, waits included; a step that would start later fails.', { default: '5m' }),
  'follow-redirects': input.boolean(
    'Follow 3xx redirects (the step headers, all secret, are never sent to another origin); when false, a redirect is judged by `expect-status` like any answer.',
    { default: 'false' },
  ),
}

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const smokeAction = {
  title: 'HTTP smoke flow',
  description:
    "Run an ordered HTTP flow (a canary money loop, auth-separation checks): each step's status code and JSON assertions, values captured for later steps as {{name}}, the first failing step named; header values are secrets and never cross origins.",
  branding: { icon: 'play-circle', color: 'green' },
  example: {
    steps:
      '- name: platform rejects an API key\n  url: https://api.example.com/api/v1/platform/tenants\n  headers:\n    X-API-Key: ${{ secrets.API_KEY }}\n  expect-status: 401',
  },
} satisfies ActionMeta
