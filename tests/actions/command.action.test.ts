// The bundled command action, run as the GitHub runner runs it (dist/command/index.js, INPUT_*
// variables, file commands), against the fake GitHub API: real bash scripts in a real workspace.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { DEFAULT_SHA, runAction } from '../harness/run-action.js'
import { groupGone, running } from '../gates/command/support.js'
import { channels, report } from './channels.js'

let api: FakeGitHub
afterEach(async () => {
  expect(api.invalid, 'requests GitHub would reject').toEqual([])
  await api.close()
})

async function run(inputs: Record<string, string>, cwd: string) {
  api = await startFakeGitHub()
  return runAction('command', { inputs, apiUrl: api.url, cwd })
}
const checkRuns = () => api.requests.filter((r) => r.operationId === 'checks/create')

const PREFLIGHT = `#!/usr/bin/env bash
# The seeds' convention: 0=PASS, 1=WARN, 2=FAIL, and a verdict line.
set -euo pipefail
mkdir -p artifacts
echo "checking prod env for $APP_ENV"
printf '{"checks": 4, "failed": 0}\\n' > artifacts/preflight_result.json
n=$(env | grep -c '^INPUT_' || true)
echo "action inputs seen by the script: $n"
echo "VERDICT: \${WANT:-PASS}"
exit "\${CODE:-0}"
`

describe('command action', () => {
  it('passes on exit 0 with a PASS verdict: outputs, report with the result-file hash, summary and a green check run', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    await writeFile(path.join(cwd, 'preflight.sh'), PREFLIGHT)
    const r = await run(
      {
        run: 'bash preflight.sh',
        verdict: 'VERDICT: (\\w+)',
        'result-file': 'artifacts/preflight_result.json',
        env: 'APP_ENV=production-eu',
      },
      cwd,
    )
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const sha = execFileSync('sha256sum', ['artifacts/preflight_result.json'], { cwd, encoding: 'utf8' }).split(' ')[0]
    expect(r.outputs).toMatchObject({
      status: 'pass',
      'exit-code': '0',
      verdict: 'PASS',
      'result-sha256': sha,
      report: 'cutover-reports/command.json',
    })
    expect(r.outputs.summary).toBe('command: PASS (3 of 3 checks passed)')
    const rep = await report(cwd, 'command')
    expect(rep).toMatchObject({ gate: 'command', status: 'pass', subject: { sha: DEFAULT_SHA } })
    expect(JSON.stringify(rep.checks)).toContain(`sha256:${sha}`)
    // The script saw none of the action's INPUT_* variables (the github token among them).
    expect(rep.details).toContain('action inputs seen by the script: 0')
    expect(rep.details).toContain('checking prod env for ***')
    expect(r.summary).toContain('## Cutover gates: ✅ GO')
    expect(r.summary).toContain('Script executed: PASS')
    expect(checkRuns()[0].body).toMatchObject({ name: 'cutover / command', head_sha: DEFAULT_SHA, conclusion: 'success' })
    expect(r.stdout).toContain('::add-mask::production-eu')
  })

  it('exit 1 with a PASS verdict is a warning (the worse wins): a neutral check run, the step stays green', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    await writeFile(path.join(cwd, 'preflight.sh'), PREFLIGHT)
    const r = await run({ run: 'CODE=1 bash preflight.sh', verdict: 'VERDICT: (\\w+)', env: 'APP_ENV=x-prod', language: 'tr' }, cwd)
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('warn')
    expect(checkRuns()[0].body).toMatchObject({ conclusion: 'neutral' })
    expect(r.summary).toContain('Script çalıştırıldı: PASS')
  })

  it('a FAIL verdict fails the step with a sentence, never a stack trace', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    await writeFile(path.join(cwd, 'preflight.sh'), PREFLIGHT)
    const r = await run({ run: 'WANT=FAIL bash preflight.sh', verdict: 'VERDICT: (\\w+)', env: 'APP_ENV=x-prod' }, cwd)
    expect(r.code).toBe(1)
    expect(r.outputs.summary).toMatch(/^command: FAIL: The last verdict line \(line 3: "VERDICT: FAIL"\) says FAIL\./)
    expect(r.stdout).not.toMatch(/\n\s+at /)
    expect(checkRuns()[0].body).toMatchObject({ conclusion: 'failure' })
  })

  it('at the timeout the whole process group is killed and the step fails', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run({ run: 'echo $$ > pids; sleep 300 & echo $! >> pids; echo started; wait', timeout: '1s' }, cwd)
    expect(r.code).toBe(1)
    expect(r.outputs.summary).toMatch(/still running after 1s \(the `timeout`\) and was killed with its whole process group/)
    const [leader, child] = (await readFile(path.join(cwd, 'pids'), 'utf8')).trim().split('\n').map(Number)
    expect(groupGone(leader)).toBe(true)
    expect(running(child)).toBe(false)
  })

  it('an env secret the script prints is in no channel', async () => {
    const SECRET = 'pk_live_planted_9Qz8Xw7'
    const cwd = await mkdtemp(path.join(tmpdir(), 'ws-'))
    const r = await run(
      {
        run: 'echo "using key $PSP_KEY"; echo "{\\"key\\":\\"$PSP_KEY\\"}" > out.json; echo "VERDICT: FAIL $PSP_KEY" >&2; exit 2',
        env: `PSP_KEY=${SECRET}`,
        verdict: 'VERDICT: (\\w+)',
        'result-file': 'out.json',
      },
      cwd,
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`::add-mask::${SECRET}`)
    const c = await channels(r, api, cwd)
    expect(c.report).toContain('using key ***')
    for (const [name, text] of Object.entries(c)) expect(text, name).not.toContain(SECRET)
  })
})
