/**
 * What every canary source produces: windows of canary and baseline measurements, each value
 * either read or missing with a reason. Sources never judge: they only report what they saw
 * (NaN and negative numbers included), and the gate's verdict logic decides.
 */

/** A value a source read, or why it has none (`no series matched deployment="canary"`). */
export type Reading = { ok: true; value: number } | { ok: false; why: string }

export const read = (value: number): Reading => ({ ok: true, value })
export const missing = (why: string): Reading => ({ ok: false, why })

/** Latency distributions for the statistical judge: raw samples (ms) or histogram bucket counts. */
export interface Latencies {
  /** Raw latency samples in milliseconds. */
  samples?: Float64Array
  /** Observations per histogram bucket (not cumulative), keyed by the bucket's upper bound. */
  buckets?: { le: number; count: number }[]
  /** Why the samples cannot be used (not an array, a non-number in it). */
  problem?: string
}

/** What one deployment (canary or baseline) did in one window. Latencies are in milliseconds. */
export interface Variant {
  requests: Reading
  errors: Reading
  p99: Reading
  p50?: Reading
  latencies?: Latencies
}

export interface Window {
  /** 1-based, oldest first. */
  index: number
  /** Epoch milliseconds, when the source knows them. */
  start?: number
  end?: number
  canary?: Variant
  baseline?: Variant
  /** The runbook shape's own fields, exactly as found (the verdict checks their types). */
  reported?: { pass: unknown; burst: unknown }
  /** Problems that concern the whole window (the source could not be read, bad timestamps). */
  problems: string[]
}

export type Shape = 'runbook' | 'raw' | 'prometheus'

export interface Evidence {
  shape: Shape
  /** Where it came from, credentials removed: a path, a URL, `Prometheus at <url>`. */
  origin: string
  windows: Window[]
  /** The runbook shape's overall latency figures (`perf.p50`, `perf.p99`), as found. */
  perf?: { p50: unknown; p99: unknown }
  /** HTTP requests made to Prometheus to build this evidence. */
  queries: number
  /** Facts about the source worth a line in the report (queries used, a source problem). */
  notes: string[]
  /** When the evidence says it was written: the oldest timestamp in it, or why one cannot be read. */
  stamp?: { at: number; key: string } | { problem: string }
  /** When the file or the HTTP answer says it last changed, or why that is unknown. */
  modified?: { at: number; from: 'file modification time' | 'Last-Modified header' } | { missing: string }
}

/** The evidence could not be read at all (missing file, not JSON, no windows array). */
export class EvidenceError extends Error {}

/**
 * A baseline measured earlier (in pre-flight, while the stable deployment still served traffic)
 * and written to a file, to judge the canary against when the live baseline has none left.
 */
export interface RecordedBaseline {
  format: typeof BASELINE_FORMAT
  /** When it was measured (ISO 8601). */
  recordedAt: string
  /** Where the numbers came from: Prometheus with its selectors and queries, or an evidence file. */
  source:
    | { kind: 'prometheus'; url: string; selectors: { canary: string; baseline: string }; queries: Record<string, string> }
    | { kind: 'evidence'; origin: string }
  /** Length of one window, as `5m`, and in milliseconds. */
  window: string
  windowMs: number
  /** Start of the oldest and end of the newest window measured (ISO 8601). */
  from: string
  to: string
  windows: number
  requests: number
  errors: number
  /** errors ÷ requests. */
  errorRate: number
  /** Requests per second over the windows measured. */
  requestRate: number
  /** Median of the windows' p50 and p99, in milliseconds (p50 null when the source has none). */
  p50Ms: number | null
  p99Ms: number
}

export const BASELINE_FORMAT = 'cutover-gates/canary-baseline@1'

/** A recorded baseline as the gate read it: the numbers, the file it came from and that file's SHA-256. */
export interface LoadedBaseline {
  baseline: RecordedBaseline
  file: string
  sha256: string
  at: number
}
