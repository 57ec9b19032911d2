/**
 * Reads a folder of gate reports (`<report-dir>/<id>.json`, as the runner writes them) into
 * checkpoint lines. Unusable reports are not skipped: each becomes a FAIL line and a problem, so
 * a broadcast never claims more than was measured.
 */
import path from 'node:path'
import type { FilePort } from '../../core/gate.js'
import * as z from 'zod'
import type { Checkpoint } from './messages.js'

/** `decide` writes its bundle next to the reports; it is not a gate report. */
export const NOT_REPORTS = new Set(['cutover-summary.json'])
/** A gate report is small; anything bigger is not one (and is not read whole). */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024

const reportSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['pass', 'warn', 'fail']),
  summary: z.string().optional(),
  startedAt: z.string().optional(),
  subject: z.object({ sha: z.string().optional() }).optional(),
})

export interface ReportsRead {
  checkpoints: Checkpoint[]
  /** Sentences: a missing folder, no reports, an unreadable report, a report of another commit. */
  problems: string[]
  files: number
}

type NotifyFs = Pick<FilePort, 'readdir' | 'stat' | 'readFile'>

/**
 * @param dir absolute folder
 * @param shown how the folder is named in sentences (as the user wrote it)
 * @param sha the commit being cut over: a report about another commit is a problem
 */
export async function readCheckpoints(fs: NotifyFs, dir: string, shown: string, sha?: string): Promise<ReportsRead> {
  let names: string[]
  try {
    names = (await fs.readdir(dir)).filter((f) => f.endsWith('.json') && !NOT_REPORTS.has(f)).sort()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code ?? String(err)})`
    return {
      checkpoints: [],
      files: 0,
      problems: [`The reports folder ${shown} ${why}; point \`reports\` at the \`report-dir\` of the gates.`],
    }
  }
  if (names.length === 0) {
    return {
      checkpoints: [],
      files: 0,
      problems: [
        `The reports folder ${shown} holds no gate report (<id>.json); run the gates first, or point \`reports\` at their \`report-dir\`.`,
      ],
    }
  }
  const read = await Promise.all(names.map((name) => readOne(fs, path.join(dir, name), `${shown.replace(/\/+$/, '')}/${name}`, name, sha)))
  // Timeline order (when each gate started), then by id: the broadcast follows the runbook's order.
  read.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.checkpoint.id.localeCompare(b.checkpoint.id))
  return { checkpoints: read.map((r) => r.checkpoint), problems: read.flatMap((r) => (r.problem ? [r.problem] : [])), files: names.length }
}

interface One {
  checkpoint: Checkpoint
  startedAt?: string
  problem?: string
}

async function readOne(fs: NotifyFs, file: string, shown: string, name: string, sha?: string): Promise<One> {
  const fallbackId = name.replace(/\.json$/, '')
  const unusable = (why: string): One => ({
    checkpoint: { id: fallbackId, status: 'fail', summary: `unusable report: ${why}` },
    problem: `${shown} is not a usable gate report: ${why}.`,
  })
  try {
    const size = (await fs.stat(file)).size
    if (size > MAX_REPORT_BYTES) return unusable(`it is ${size} bytes, more than a gate report's ${MAX_REPORT_BYTES}`)
    let data: unknown
    try {
      data = JSON.parse(await fs.readFile(file, 'utf8'))
    } catch (err) {
      return unusable(`it is not JSON (${(err as Error).message.slice(0, 120)})`)
    }
    const r = reportSchema.safeParse(data)
    if (!r.success) {
      const issue = r.error.issues[0]
      return unusable(`${issue.path.join('.') || 'the document'}: ${issue.message}`)
    }
    const report = r.data
    const started = report.startedAt ? { startedAt: report.startedAt } : {}
    const other = sha && report.subject?.sha && report.subject.sha !== sha ? report.subject.sha : undefined
    if (other) {
      // A PASS measured on another commit says nothing about this one.
      return {
        checkpoint: { id: report.id, status: 'fail', summary: `report of commit ${other.slice(0, 12)}, not ${sha!.slice(0, 12)}` },
        ...started,
        problem: `${shown} is about commit ${other.slice(0, 12)}, not ${sha!.slice(0, 12)} being cut over: run the gate again on this commit.`,
      }
    }
    return { checkpoint: { id: report.id, status: report.status, summary: report.summary ?? '' }, ...started }
  } catch (err) {
    return unusable(`it cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
  }
}
