/**
 * Canary evidence from a JSON file or URL, in either of two shapes:
 *
 * - the runbook's own: `{"canary": {"windows": [{"pass": true, "burst": 0.8}, ...]}, "perf": {"p50": 120, "p99": 480}}`
 *   (optional `start`/`end` per window);
 * - the raw shape: `{"windows": [{"start": ISO, "end": ISO, "canary": {...}, "baseline": {...}}]}` where each side has
 *   `requests`, `errors`, `p50`, `p99` (milliseconds) and optionally `latencies` (samples in ms, for the judge).
 *   `canary.windows` may hold raw windows too.
 *
 * The parser accepts any JSON and never judges: a structural problem (no windows array) is an
 * EvidenceError, a bad field is a missing Reading with the reason, for the verdict to report.
 */
import path from 'node:path'
import type { GateContext, GateRunContext } from '../../core/gate.js'
import { EvidenceError, missing, read, type Evidence, type Latencies, type Reading, type Variant, type Window } from './model.js'
import { FetchProblem, getText, parseEndpoint, type Endpoint } from './http.js'

/** Enough for a million latency samples written out in JSON, and then some. */
export const MAX_EVIDENCE_BYTES = 256 * 1024 * 1024
export const MAX_WINDOWS = 10_000
export const FETCH_TIMEOUT_MS = 30_000

export const SHAPES_HINT =
  'the runbook shape {"canary": {"windows": [{"pass": true, "burst": 0.8}]}} or the raw shape {"windows": [{"start": ..., "end": ..., "canary": {"requests": ..., "errors": ..., "p99": ...}, "baseline": {...}}]}'

type Json = unknown

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A short, safe rendering of an unexpected JSON value for a message. */
export function describe(v: Json): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return `an array of ${v.length}`
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)
  return String(v)
}

export function parseEvidence(text: string, origin: string): Evidence {
  let root: Json
  try {
    root = JSON.parse(text)
  } catch (err) {
    throw new EvidenceError(`${origin} is not JSON (${(err as Error).message.slice(0, 120)}); expected ${SHAPES_HINT}`)
  }
  if (!isObject(root)) throw new EvidenceError(`${origin} holds ${describe(root)}, not a JSON object; expected ${SHAPES_HINT}`)
  let list: Json
  let at: string
  if (isObject(root.canary) && root.canary.windows !== undefined) {
    list = root.canary.windows
    at = 'canary.windows'
  } else if (root.windows !== undefined) {
    list = root.windows
    at = 'windows'
  } else {
    throw new EvidenceError(`${origin} has no \`canary.windows\` or \`windows\` array; expected ${SHAPES_HINT}`)
  }
  if (!Array.isArray(list)) throw new EvidenceError(`${origin}: \`${at}\` is ${describe(list)}, not an array of windows`)
  if (list.length > MAX_WINDOWS)
    throw new EvidenceError(`${origin}: \`${at}\` holds ${list.length} windows, more than the ${MAX_WINDOWS} the gate reads`)
  const raw = list.some((w) => isObject(w) && (w.canary !== undefined || w.baseline !== undefined))
  const windows = list.map((w, i) => (raw ? rawWindow(w, i, at) : runbookWindow(w, i, at)))
  // Oldest first, when every window says when it ended.
  if (windows.every((w) => w.end !== undefined)) {
    windows.sort((a, b) => (a.end as number) - (b.end as number))
    windows.forEach((w, i) => (w.index = i + 1))
  }
  const evidence: Evidence = { shape: raw ? 'raw' : 'runbook', origin, windows, queries: 0, notes: [] }
  const stamp = findStamp(root)
  if (stamp) evidence.stamp = stamp
  if (!raw && isObject(root.perf)) evidence.perf = { p50: root.perf.p50, p99: root.perf.p99 }
  return evidence
}

/** Where evidence may say when it was written, at the top or under `canary`. */
export const STAMP_KEYS = [
  'generated_at',
  'generatedAt',
  'timestamp',
  'time',
  'updated_at',
  'updatedAt',
  'created_at',
  'createdAt',
  'as_of',
  'asOf',
]

/** The oldest timestamp the evidence carries: of two claims, the one that makes it older is the safe one. */
function findStamp(root: Record<string, Json>): Evidence['stamp'] {
  let found: { at: number; key: string } | undefined
  for (const [prefix, obj] of [
    ['', root],
    ['canary.', root.canary],
  ] as const) {
    if (!isObject(obj)) continue
    for (const key of STAMP_KEYS) {
      if (obj[key] === undefined) continue
      const at = instant(obj[key])
      if (at === undefined) return { problem: `\`${prefix}${key}\` is ${describe(obj[key])}, not an ISO 8601 time or Unix seconds` }
      if (!found || at < found.at) found = { at, key: `${prefix}${key}` }
    }
  }
  return found
}

function runbookWindow(w: Json, i: number, at: string): Window {
  const win: Window = { index: i + 1, problems: [] }
  if (!isObject(w)) {
    win.problems.push(`\`${at}[${i}]\` is ${describe(w)}, not a window object`)
    win.reported = { pass: undefined, burst: undefined }
    return win
  }
  win.reported = { pass: w.pass, burst: w.burst }
  times(w, win, at, i, false)
  return win
}

function rawWindow(w: Json, i: number, at: string): Window {
  const win: Window = { index: i + 1, problems: [] }
  if (!isObject(w)) {
    win.problems.push(`\`${at}[${i}]\` is ${describe(w)}, not a window object`)
    return win
  }
  times(w, win, at, i, true)
  if (w.canary !== undefined) win.canary = variant(w.canary, `${at}[${i}].canary`)
  if (w.baseline !== undefined) win.baseline = variant(w.baseline, `${at}[${i}].baseline`)
  return win
}

/** A path as messages and annotations show it: relative to the workspace when inside it. */
export function shownPath(ctx: GateContext, file: string): string {
  const rel = path.relative(ctx.workspace, file)
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel || file
}

/** ISO 8601 text or Unix seconds. */
export function instant(v: Json): number | undefined {
  let t: number | undefined
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) t = v * 1000
  else if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) t = Date.parse(v)
  // Only instants a Date can hold (±8.64e15 ms), so labels and arithmetic stay finite.
  return t !== undefined && Number.isFinite(new Date(t).getTime()) ? t : undefined
}

function times(w: Record<string, Json>, win: Window, at: string, i: number, required: boolean) {
  for (const key of ['start', 'end'] as const) {
    if (w[key] === undefined) {
      if (required) win.problems.push(`\`${at}[${i}].${key}\` is missing: cannot tell when this window was measured`)
      continue
    }
    const t = instant(w[key])
    if (t === undefined) win.problems.push(`\`${at}[${i}].${key}\` is ${describe(w[key])}, not an ISO 8601 time or Unix seconds`)
    else win[key] = t
  }
  if (win.start !== undefined && win.end !== undefined && win.start >= win.end) {
    win.problems.push(`\`${at}[${i}]\` starts at or after its end`)
  }
}

function number(v: Json, where: string): Reading {
  if (v === undefined) return missing(`missing (\`${where}\`)`)
  if (typeof v !== 'number') return missing(`not a number: ${describe(v)} (\`${where}\`)`)
  return read(v)
}

function variant(v: Json, where: string): Variant {
  if (!isObject(v)) {
    const why = `missing: \`${where}\` is ${describe(v)}, not an object`
    return { requests: missing(why), errors: missing(why), p99: missing(why) }
  }
  const out: Variant = {
    requests: number(v.requests, `${where}.requests`),
    errors: number(v.errors, `${where}.errors`),
    p99: number(v.p99, `${where}.p99`),
  }
  if (v.p50 !== undefined) out.p50 = number(v.p50, `${where}.p50`)
  if (v.latencies !== undefined) out.latencies = latencies(v.latencies, `${where}.latencies`)
  // A window may give its samples and no p99: compute it from them.
  if (!out.p99.ok && v.p99 === undefined && out.latencies?.samples && out.latencies.samples.length > 0) {
    out.p99 = read(quantile(out.latencies.samples, 0.99))
  }
  return out
}

function latencies(v: Json, where: string): Latencies {
  if (!Array.isArray(v)) return { problem: `\`${where}\` is ${describe(v)}, not an array of numbers` }
  const samples = new Float64Array(v.length)
  for (let k = 0; k < v.length; k++) {
    const x = v[k]
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
      return { problem: `\`${where}[${k}]\` is ${describe(x)}, not a latency in milliseconds` }
    }
    samples[k] = x
  }
  return { samples }
}

/** The q-quantile by linear interpolation between order statistics (numpy's default). */
export function quantile(samples: Float64Array, q: number): number {
  const s = Float64Array.from(samples).sort()
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.min(lo + 1, s.length - 1)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source.trim())
}

/** Reads the evidence from a path (relative to ctx.cwd) or an http(s) URL. */
export async function loadEvidence(source: string, ctx: GateRunContext, timeoutMs = FETCH_TIMEOUT_MS): Promise<Evidence> {
  if (isUrl(source)) {
    let endpoint: Endpoint
    try {
      endpoint = parseEndpoint(source)
    } catch {
      throw new EvidenceError('the `source` URL is not a valid http(s) URL')
    }
    let answer
    try {
      answer = await getText(ctx, endpoint, endpoint.url, { timeoutMs, maxBytes: MAX_EVIDENCE_BYTES })
    } catch (err) {
      if (err instanceof FetchProblem) throw new EvidenceError(`the evidence URL ${endpoint.shown} ${err.message}`)
      throw err
    }
    // Evidence served from elsewhere is named by where it really came from.
    let origin = endpoint.shown
    if (answer.finalUrl) {
      try {
        origin = `${endpoint.shown}, redirected to ${parseEndpoint(answer.finalUrl).shown}`
      } catch {
        origin = `${endpoint.shown}, redirected`
      }
    }
    if (answer.status < 200 || answer.status > 299) {
      throw new EvidenceError(`the evidence URL ${origin} answered HTTP ${answer.status}, not 2xx`)
    }
    const evidence = parseEvidence(answer.text, origin)
    evidence.modified = lastModified(answer.lastModified)
    return evidence
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    throw new EvidenceError('`source` must be a file path or an http(s) URL')
  }
  const file = path.resolve(ctx.cwd, source)
  const shown = shownPath(ctx, file)
  let size: number
  let mtime: number
  try {
    const s = await ctx.fs.stat(file)
    if (!s.isFile()) throw new EvidenceError(`the evidence file ${shown} is not a regular file`)
    size = s.size
    mtime = s.mtimeMs
  } catch (err) {
    if (err instanceof EvidenceError) throw err
    const code = (err as { code?: string }).code
    throw new EvidenceError(
      code === 'ENOENT' ? `the evidence file ${shown} does not exist` : `the evidence file ${shown} cannot be read (${code ?? 'error'})`,
    )
  }
  if (size > MAX_EVIDENCE_BYTES)
    throw new EvidenceError(`the evidence file ${shown} is ${size} bytes, more than the ${MAX_EVIDENCE_BYTES} the gate reads`)
  let text: string
  try {
    text = await ctx.fs.readFile(file, 'utf8')
  } catch (err) {
    throw new EvidenceError(`the evidence file ${shown} cannot be read (${(err as { code?: string }).code ?? 'error'})`)
  }
  const evidence = parseEvidence(text, shown)
  evidence.modified = { at: mtime, from: 'file modification time' }
  return evidence
}

/** An HTTP date (RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`, or the two obsolete forms). */
function lastModified(header: string | undefined): Evidence['modified'] {
  if (header === undefined) return { missing: 'the server sent no Last-Modified header' }
  const at = Date.parse(header)
  if (!/\b\d{1,2}:\d\d:\d\d\b/.test(header) || !Number.isFinite(at)) {
    return { missing: `the Last-Modified header ${describe(header)} is not an HTTP date` }
  }
  return { at, from: 'Last-Modified header' }
}
