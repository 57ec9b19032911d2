// Every channel a secret could leak through when an action runs: the log (outside the
// ::add-mask:: lines that teach the runner the secret), the job summary, the outputs, the JSON
// reports and ledger, and every request the action made to the (fake) GitHub API.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { FakeGitHub } from '../harness/fake-github.js'
import type { ActionRun } from '../harness/run-action.js'

export async function channels(r: ActionRun, api: FakeGitHub, cwd: string, reportDir = 'cutover-reports'): Promise<Record<string, string>> {
  const log = (r.stdout + r.stderr)
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  const dir = path.join(cwd, reportDir)
  const names = await readdir(dir).catch(() => [] as string[])
  const files = await Promise.all(names.map((f) => readFile(path.join(dir, f), 'utf8').catch(() => '')))
  return { log, summary: r.summary, outputs: JSON.stringify(r.outputs), report: files.join('\n'), checkRuns: JSON.stringify(api.requests) }
}

export async function report(cwd: string, id: string, reportDir = 'cutover-reports'): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(cwd, reportDir, `${id}.json`), 'utf8')) as Record<string, unknown>
}
