// Fail closed, command: every way a script can fail to give a verdict is a `fail` (a warning only
// where the team's own map says so) with a sentence naming what was expected and what was seen.
// Real bash, real files, real processes; rows whose input is refused also prove nothing ran.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Status } from '../../src/core/result.js'
import { runCommand, steppedClock } from '../gates/command/support.js'

const root = mkdtempSync(path.join(tmpdir(), 'fail-closed-command-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

interface Row {
  way: string
  inputs: Record<string, string>
  /** Prepares the folder the script runs in. */
  setup?: (dir: string) => void
  status: Exclude<Status, 'pass'>
  check: string
  says: RegExp
  refused?: boolean
  /** The gate clock moves only when the gate waits: a ten-minute timeout in no time. */
  clock?: boolean
  env?: Record<string, string>
}

const rows: Row[] = [
  {
    way: 'an exit code the map does not name',
    inputs: { run: 'exit 4' },
    status: 'fail',
    check: 'exit code',
    says: /does not map 4, so it is a fail/,
  },
  { way: "exit 2 (the seeds' FAIL)", inputs: { run: 'exit 2' }, status: 'fail', check: 'exit code', says: /maps 2 to fail/ },
  { way: "exit 1 (the seeds' WARN)", inputs: { run: 'exit 1' }, status: 'warn', check: 'exit code', says: /maps 1 to warn/ },
  { way: 'a signal', inputs: { run: 'kill -9 $$' }, status: 'fail', check: 'exit code', says: /killed by SIGKILL .* not by the gate/ },
  {
    way: 'the timeout',
    inputs: { run: 'sleep 600' },
    clock: true,
    status: 'fail',
    check: 'exit code',
    says: /still running after 10m \(the `timeout`\) and was killed with its whole process group/,
  },
  {
    way: 'no verdict line',
    inputs: { run: 'echo done', verdict: 'VERDICT: (\\w+)' },
    status: 'fail',
    check: 'verdict',
    says: /No line of the output matches `verdict`/,
  },
  {
    way: 'no output at all with a verdict',
    inputs: { run: 'true', verdict: 'VERDICT: (\\w+)' },
    status: 'fail',
    check: 'verdict',
    says: /so the script gave no verdict\. It printed nothing\./,
  },
  {
    way: 'a verdict word that is not PASS/WARN/FAIL',
    inputs: { run: 'echo "VERDICT: OK"', verdict: 'VERDICT: (\\w+)' },
    status: 'fail',
    check: 'verdict',
    says: /says "OK", which is not PASS, WARN or FAIL/,
  },
  {
    way: 'verdict PASS but exit 2',
    inputs: { run: 'echo "VERDICT: PASS"; exit 2', verdict: 'VERDICT: (\\w+)' },
    status: 'fail',
    check: 'exit code',
    says: /maps 2 to fail/,
  },
  {
    way: 'a missing result-file',
    inputs: { run: 'true', 'result-file': 'out.json' },
    status: 'fail',
    check: 'result-file',
    says: /did not write it \(it does not exist\)/,
  },
  {
    way: 'an unparsable result-file',
    inputs: { run: 'echo "{oops" > out.json', 'result-file': 'out.json' },
    status: 'fail',
    check: 'result-file',
    says: /is not valid JSON/,
  },
  {
    way: 'an empty result-file',
    inputs: { run: ': > out.json', 'result-file': 'out.json' },
    status: 'fail',
    check: 'result-file',
    says: /it is empty, not JSON/,
  },
  {
    way: 'a stale result-file left by an earlier run',
    inputs: { run: 'true', 'result-file': 'out.json' },
    setup: (d) => writeFileSync(path.join(d, 'out.json'), '{"status":"PASS"}'),
    status: 'fail',
    check: 'result-file',
    says: /the script did not write it/,
  },
  {
    way: 'a result-file that is a named pipe',
    inputs: { run: 'mkfifo out.json', 'result-file': 'out.json' },
    status: 'fail',
    check: 'result-file',
    says: /named pipe \(FIFO\), not a regular file/,
  },
  {
    way: 'a result-file that is not UTF-8',
    inputs: { run: "printf '\\xff\\xfe' > out.json", 'result-file': 'out.json' },
    status: 'fail',
    check: 'result-file',
    says: /not UTF-8 text/,
  },
  {
    way: 'a missing working directory',
    inputs: { run: 'true', 'working-directory': 'nope' },
    status: 'fail',
    check: 'exit code',
    says: /its working directory nope does not exist\. Nothing ran\./,
  },
  {
    way: 'bash not on PATH',
    inputs: { run: 'true' },
    env: { PATH: '/nonexistent' },
    status: 'fail',
    check: 'exit code',
    says: /`bash` is not on PATH/,
  },
  {
    way: 'run given as an empty string',
    inputs: { run: '' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /input `run` is required/,
  },
  {
    way: 'an env value given empty (an unset secret)',
    inputs: { run: 'touch ran', env: 'TOKEN=' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /the value of TOKEN on line 1 is empty/,
  },
  {
    way: 'an env line without a name',
    inputs: { run: 'touch ran', env: '=value' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /the text before `=` is not a variable name/,
  },
  {
    way: 'an unparsable exit-codes map',
    inputs: { run: 'touch ran', 'exit-codes': '0=ok' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /input `exit-codes`: "0=ok" is not valid/,
  },
  {
    way: 'an exit-codes map naming a code twice',
    inputs: { run: 'touch ran', 'exit-codes': '0=pass,0=warn' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /0 is given twice/,
  },
  {
    way: 'a verdict pattern that does not compile',
    inputs: { run: 'touch ran', verdict: 'VERDICT: (' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /Invalid regular expression/,
  },
  {
    way: 'a verdict pattern matching every line',
    inputs: { run: 'touch ran', verdict: '(.*)' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /matches an empty line/,
  },
  {
    way: 'a zero timeout',
    inputs: { run: 'touch ran', timeout: '0s' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /input `timeout`: "0s" is not valid/,
  },
  {
    way: 'NaN as a timeout',
    inputs: { run: 'touch ran', timeout: 'NaN' },
    refused: true,
    status: 'fail',
    check: 'inputs',
    says: /input `timeout`: "NaN" is not valid/,
  },
]

let n = 0
describe('command fails closed', () => {
  it.each(rows.map((r) => [r.way, r] as const))('%s', async (_way, row) => {
    const dir = path.join(root, `c${++n}`)
    mkdirSync(dir)
    row.setup?.(dir)
    const clock = row.clock ? steppedClock() : undefined
    const r = await runCommand(row.inputs, { cwd: dir, workspace: dir, ...(clock?.ctx ?? {}), ...(row.env ? { env: row.env } : {}) })
    expect(r.status).toBe(row.status)
    const c = r.checks.find((x) => x.name === row.check && x.status === row.status)
    expect(c, JSON.stringify(r.checks, null, 1)).toBeDefined()
    expect(c!.message).toMatch(row.says)
    expect(c!.message).not.toMatch(/\n\s+at /)
    expect(c!.message).toMatch(/\.$/)
    expect(c!.expected).not.toBe('')
    expect(c!.observed).not.toBe('')
    expect(r.summary).toMatch(new RegExp(`^command: ${row.status.toUpperCase()}: `))
    if (row.refused) {
      expect(r.inputError).toBe(true)
      expect(existsSync(path.join(dir, 'ran'))).toBe(false)
    }
  })

  it('covers every way the contract names', () => {
    const ways = rows.map((r) => r.way).join('\n')
    for (const w of [
      'an exit code the map does not name',
      'a signal',
      'the timeout',
      'no verdict line',
      'a missing result-file',
      'an unparsable result-file',
      'given as an empty string',
    ])
      expect(ways).toContain(w)
  })
})
