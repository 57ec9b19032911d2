/**
 * Reading a folder of gate reports (`<id>.json`) as evidence: every file is hashed from the very
 * bytes that are parsed (so the SHA-256 in the bundle is of what was judged), and anything that
 * is not a well-formed report says why in a sentence instead of being skipped.
 */
import { PAYLOAD_TYPE } from './dsse.js'
import { createHash } from 'node:crypto'
import path from 'node:path'
import * as z from 'zod'
import { errorCode, fsProblem } from '../../lib/errno.js'
import type { FilePort } from '../../core/gate.js'
import { NotRegularFileError, TooLargeError, readRegularFile } from '../../core/files.js'

type ReportsFs = Pick<FilePort, 'readdir' | 'open'>
import { ID_PATTERN, REPORT_SCHEMA_VERSION, type Report } from '../../core/report.js'

/** A report is a few KiB to a few MiB; beyond this it is not one, and is hashed without being parsed. */
export const MAX_REPORT_BYTES = 32 * 1024 * 1024

const status = z.enum(['pass', 'warn', 'fail'])
const text = z.string()
const checkSchema = z.object({
  name: text,
  status,
  observed: text,
  expected: text,
  message: text,
  location: z.object({ path: text.optional(), line: z.number().optional(), url: text.optional() }).optional(),
})
const instant = z.iso.datetime({ offset: true })

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  id: z.string().regex(ID_PATTERN),
  gate: z.string().min(1),
  status,
  summary: text,
  checks: z.array(checkSchema),
  // JSON.stringify writes NaN as null: a metric may be null.
  metrics: z.record(z.string(), z.number().nullable()),
  details: text.optional(),
  headline: text.optional(),
  criteria: z.object({ en: text, tr: text }).optional(),
  startedAt: instant,
  finishedAt: instant,
  durationMs: z.number(),
  subject: z.object({
    repository: text.optional(),
    sha: text.optional(),
    ref: text.optional(),
    runId: text.optional(),
    runAttempt: text.optional(),
    actor: text.optional(),
    workflow: text.optional(),
    job: text.optional(),
    eventName: text.optional(),
  }),
})

export interface ReportFile {
  /** Absolute path. */
  file: string
  /** The id the file name gives (`api.json` → `api`). */
  name: string
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string
  report?: Report
  /** Why the file is not a usable report (set exactly when `report` is not). */
  problem?: string
}

export interface ReportDir {
  dir: string
  /** Why the folder itself could not be read. */
  problem?: string
  files: ReportFile[]
  /** Files that are not gate reports and were left out on purpose, with why (and their SHA-256). */
  skipped: { file: string; why: string; sha256: string }[]
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A zod issue as a short phrase naming the field. */
function issuePhrase(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `\`${issue.path.map(String).join('.')}\`` : 'the top level'
  return `${where}: ${issue.message}`
}

/** What a parsed value is: a gate report, a decide bundle, its in-toto envelope, or neither (with why). */
export function classify(value: unknown): { report: Report } | { bundle: true } | { envelope: true } | { problem: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'it is not a JSON object' }
  const v = value as Record<string, unknown>
  if (v.payloadType === PAYLOAD_TYPE && typeof v.payload === 'string' && Array.isArray(v.signatures) && !('checks' in v))
    return { envelope: true }
  if ((v.decision === 'GO' || v.decision === 'NO-GO') && Array.isArray(v.reports) && !('checks' in v)) return { bundle: true }
  if (v.schemaVersion !== undefined && v.schemaVersion !== REPORT_SCHEMA_VERSION && typeof v.schemaVersion === 'number')
    return { problem: `its schemaVersion is ${v.schemaVersion}; this version of decide reads ${REPORT_SCHEMA_VERSION}` }
  const r = reportSchema.safeParse(value)
  if (!r.success) {
    const shown = r.error.issues.slice(0, 3).map(issuePhrase)
    const more = r.error.issues.length > 3 ? ` (+${r.error.issues.length - 3} more)` : ''
    return { problem: `it is not a gate report: ${shown.join('; ')}${more}` }
  }
  return { report: r.data as Report }
}

/** Files read at once: enough to hide the latency of each read, few enough to stay far below any fd limit. */
const CONCURRENCY = 16

/** `fn` over `items`, at most `limit` at a time, results in the order of `items`. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

type Skipped = { file: string; why: string; sha256: string }
type Read = { file: ReportFile } | { skipped: Skipped }

/**
 * One `<id>.json`: hashed from the bytes that are parsed, then classified. A file in `skip` (the
 * approvals file) is left out only when it is not a gate report: naming a report as something
 * else never takes it out of the decision.
 */
async function readOne(file: string, skip: Set<string>, fs: ReportsFs): Promise<Read> {
  const name = path.basename(file).slice(0, -'.json'.length)
  let bytes: Buffer
  try {
    bytes = await readRegularFile(file, MAX_REPORT_BYTES, fs)
  } catch (err) {
    const problem =
      err instanceof NotRegularFileError
        ? `it is not a regular file (it is ${err.kind})`
        : err instanceof TooLargeError
          ? `it is ${err.size} bytes, more than a report's ${MAX_REPORT_BYTES}`
          : fsProblem(err)
    return { file: { file, name, sha256: '', problem } }
  }
  const sha256 = sha256Hex(bytes)
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    if (skip.has(file)) return { skipped: { file, why: 'it is the approvals file', sha256 } }
    return { file: { file, name, sha256, problem: `it is not valid JSON (${(err as Error).message.split('\n')[0].slice(0, 120)})` } }
  }
  const c = classify(value)
  if ('bundle' in c) return { skipped: { file, why: 'it is a decide bundle, not a gate report', sha256 } }
  if ('envelope' in c) return { skipped: { file, why: "it is a decision's in-toto attestation, not a gate report", sha256 } }
  if ('problem' in c) {
    if (skip.has(file)) return { skipped: { file, why: 'it is the approvals file', sha256 } }
    return { file: { file, name, sha256, problem: c.problem } }
  }
  if (c.report.id !== name)
    return {
      file: { file, name, sha256, problem: `its id is \`${c.report.id}\`, but a report is named \`<id>.json\`: it was renamed or copied` },
    }
  return { file: { file, name, sha256, report: c.report } }
}

/** Reads every `*.json` directly inside `dir`; `skip` holds absolute paths that are not reports unless they parse as one. */
export async function readReportDir(dir: string, skip: Set<string>, fs: ReportsFs): Promise<ReportDir> {
  const out: ReportDir = { dir, files: [], skipped: [] }
  let entries
  try {
    entries = await fs.readdir(dir, { withFileTypes: true })
  } catch (err) {
    out.problem = errorCode(err) === 'ENOTDIR' ? 'is not a folder' : fsProblem(err)
    return out
  }
  const files = entries
    .filter((e) => e.name.endsWith('.json'))
    .map((e) => path.join(dir, e.name))
    .sort()
  for (const r of await mapLimit(files, CONCURRENCY, (f) => readOne(f, skip, fs))) {
    if ('skipped' in r) out.skipped.push(r.skipped)
    else out.files.push(r.file)
  }
  return out
}
