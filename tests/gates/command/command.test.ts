// The command gate through the real gate: real bash, real child processes and process groups,
// real files; durations and progress lines on a clock that only the gate's waits move.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { childEnv, keptOutput } from '../../../src/gates/command/gate.js'
import { parseExitCodes, parseVerdict } from '../../../src/gates/command/spec.js'
import { makeRedactor } from '../../../src/core/redact.js'
import type { RunOutcome } from '../../../src/lib/process.js'
import { ended, groupGone, runCommand, running, steppedClock, waitFor } from './support.js'

const root = mkdtempSync(path.join(tmpdir(), 'cutover-command-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const fresh = () => {
  const d = path.join(root, `t${++n}`)
  mkdirSync(d, { recursive: true })
  return d
}
const at = (dir: string) => ({ cwd: dir, workspace: dir })
const all = (r: { checks: { message: string }[]; details?: string; summary: string }) =>
  JSON.stringify(r) + r.checks.map((c) => c.message).join('\n') + (r.details ?? '')

describe('command: exit codes', () => {
  it.each([
    [0, 'pass', /The script exited 0 after .*; `exit-codes` maps 0 to pass\.$/],
    [1, 'warn', /The script exited 1 after .*; `exit-codes` maps 1 to warn\. Last output line: "about to exit 1"\./],
    [2, 'fail', /The script exited 2 after .*; `exit-codes` maps 2 to fail\. Last output line: "about to exit 2"\./],
    [3, 'fail', /The script exited 3 after .*; `exit-codes` \(0=pass, 1=warn, 2=fail\) does not map 3, so it is a fail\./],
    [127, 'fail', /exited 127 .*does not map 127/],
    [255, 'fail', /exited 255 .*does not map 255/],
  ])('exit %i is %s under the default map', async (code, status, message) => {
    const r = await runCommand({ run: `echo about to exit ${code}; exit ${code}` }, at(fresh()))
    expect(r.status).toBe(status)
    expect(r.checks).toHaveLength(1)
    expect(r.checks[0]).toMatchObject({ name: 'exit code', status })
    expect(r.checks[0].message).toMatch(message)
    expect(r.metrics.exit_code).toBe(code)
    expect(r.outputs['exit-code']).toBe(String(code))
  })

  it('a given map replaces the default whole: 1 is no longer a warning, 3 is', async () => {
    const map = { 'exit-codes': '0=pass\n3=warn\n4=fail' }
    expect((await runCommand({ run: 'exit 3', ...map }, at(fresh()))).status).toBe('warn')
    const one = await runCommand({ run: 'exit 1', ...map }, at(fresh()))
    expect(one.status).toBe('fail')
    expect(one.checks[0].message).toMatch(/`exit-codes` \(0=pass, 3=warn, 4=fail\) does not map 1, so it is a fail/)
    const zeroWarns = await runCommand({ run: 'exit 0', 'exit-codes': '0=warn' }, at(fresh()))
    expect(zeroWarns.status).toBe('warn')
  })

  it('runs in bash -eo pipefail: a failing command stops the script, a failing pipe stage fails it', async () => {
    const e = await runCommand({ run: 'false\necho never printed' }, at(fresh()))
    expect(e.status).toBe('warn')
    expect(e.details).not.toContain('never printed')
    const pipe = await runCommand({ run: 'false | cat\necho not reached' }, at(fresh()))
    expect(pipe.checks[0].observed).toBe('exit 1 (warn)')
    expect(pipe.details).not.toContain('not reached')
  })

  it('a signal is a fail that names it, whatever the map says', async () => {
    const term = await runCommand({ run: 'echo going; kill -TERM $$', 'exit-codes': '0=pass,143=pass' }, at(fresh()))
    expect(term.status).toBe('fail')
    expect(term.checks[0].message).toMatch(
      /^The script was killed by SIGTERM after .*, not by the gate: .* so it is a fail\. Last output line: "going"\./,
    )
    expect(term.outputs['exit-code']).toBe('')
    const kill = await runCommand({ run: 'kill -KILL $$' }, at(fresh()))
    expect(kill.checks[0].observed).toBe('killed by SIGKILL')
  })

  it('runs in working-directory, relative to the folder the gate runs from', async () => {
    const dir = fresh()
    mkdirSync(path.join(dir, 'scripts'))
    writeFileSync(path.join(dir, 'scripts', 'check.sh'), 'echo "VERDICT: PASS from $(basename "$PWD")"\n')
    const r = await runCommand({ run: 'bash check.sh', 'working-directory': 'scripts', verdict: 'VERDICT: (\\w+)' }, at(dir))
    expect(r.status).toBe('pass')
    expect(r.details).toContain('VERDICT: PASS from scripts')
    expect(r.details).toMatch(/\| working directory \| scripts \|/)
  })

  it('the script does not inherit the action inputs (the github token) or the runner tokens', async () => {
    const env = {
      ...process.env,
      'INPUT_GITHUB-TOKEN': 'ghs_inheritedTokenValue',
      INPUT_RUN: 'x',
      ACTIONS_RUNTIME_TOKEN: 'rt-token-value',
      KEEP_ME: 'kept',
    }
    const r = await runCommand({ run: 'env | sort' }, { ...at(fresh()), env })
    expect(r.status).toBe('pass')
    expect(r.details).toContain('KEEP_ME=kept')
    expect(r.details).not.toMatch(/INPUT_|ghs_inheritedTokenValue|rt-token-value/)
    expect(childEnv({ INPUT_X: '1', input_y: '2', PATH: '/bin' }, [['A', 'b']])).toEqual({ PATH: '/bin', A: 'b' })
  })
})

describe('command: verdict', () => {
  const VERDICT = 'VERDICT: (\\w+)'
  it('a PASS verdict line with exit 0 passes; the report names the line', async () => {
    const r = await runCommand({ run: 'echo checking; echo "VERDICT: PASS"', verdict: VERDICT }, at(fresh()))
    expect(r.status).toBe('pass')
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['exit code', 'pass'],
      ['verdict', 'pass'],
    ])
    expect(r.checks[1].message).toBe('The last verdict line (line 2: "VERDICT: PASS") says PASS.')
    expect(r.outputs.verdict).toBe('PASS')
  })

  it('GATE STATUS lines, case-insensitive words, colour codes and CRLF are read', async () => {
    const r = await runCommand(
      { run: `printf 'GATE STATUS: \\033[32mwarn\\033[0m\\r\\n'`, verdict: 'GATE STATUS: (\\w+)', 'exit-codes': '0=warn' },
      at(fresh()),
    )
    expect(r.checks[1]).toMatchObject({ status: 'warn', observed: 'WARN' })
  })

  it('the last match decides', async () => {
    const r = await runCommand({ run: 'echo "VERDICT: PASS"; echo "VERDICT: FAIL"; echo done', verdict: VERDICT }, at(fresh()))
    expect(r.status).toBe('fail')
    expect(r.checks[1].message).toMatch(
      /^The last verdict line \(line 2: "VERDICT: FAIL"\) says FAIL\. The exit code says pass and the verdict line fail: the worse of the two, fail, decides\./,
    )
  })

  it('a verdict printed before more output than the report keeps is still read', async () => {
    const r = await runCommand(
      {
        run: `echo "VERDICT: WARN"; head -c 300000 /dev/zero | tr '\\0' 'x'; echo; echo trailing logs`,
        verdict: VERDICT,
        'exit-codes': '0=pass',
      },
      at(fresh()),
    )
    expect(r.checks[1]).toMatchObject({ status: 'warn' })
    expect(r.details).toMatch(/Output \(the last 64 KiB; \d+ bytes before it are not kept\)/)
    expect(r.details).toContain('trailing logs')
    expect(r.details!.split('Output')[1]).not.toContain('VERDICT: WARN')
  })

  it('no matching line is a fail, even with exit 0', async () => {
    const r = await runCommand({ run: 'echo "Verdict - PASS"; echo all good', verdict: VERDICT }, at(fresh()))
    expect(r.status).toBe('fail')
    expect(r.checks[1].message).toBe(
      'No line of the output matches `verdict` (`VERDICT: (\\w+)`), so the script gave no verdict. Last output line: "all good". Check that the script prints its verdict line, or correct `verdict`.',
    )
    expect(r.outputs.verdict).toBe('')
  })

  it('a verdict word that is not PASS, WARN or FAIL is a fail', async () => {
    const r = await runCommand({ run: 'echo "VERDICT: SKIPPED"', verdict: VERDICT }, at(fresh()))
    expect(r.status).toBe('fail')
    expect(r.checks[1].message).toMatch(/says "SKIPPED", which is not PASS, WARN or FAIL/)
  })

  it.each([
    ['exit 1 (warn), verdict PASS', 'echo "VERDICT: PASS"; exit 1', 'warn'],
    ['exit 0, verdict WARN', 'echo "VERDICT: WARN"', 'warn'],
    ['exit 2 (fail), verdict PASS', 'echo "VERDICT: PASS"; exit 2', 'fail'],
    ['exit 1 (warn), verdict FAIL', 'echo "VERDICT: FAIL"; exit 1', 'fail'],
  ])('disagreeing: %s → the worse, %s', async (_label, run, status) => {
    const r = await runCommand({ run, verdict: VERDICT }, at(fresh()))
    expect(r.status).toBe(status)
    expect(r.checks.find((c) => c.name === 'verdict')!.message).toMatch(/the worse of the two, \w+, decides/)
  })

  it('a verdict on stderr counts and is named as such', async () => {
    const r = await runCommand({ run: 'echo "VERDICT: PASS" >&2', verdict: VERDICT }, at(fresh()))
    expect(r.checks[1].message).toBe('The last verdict line (stderr line 1: "VERDICT: PASS") says PASS.')
  })

  it('refuses a pattern without exactly one group, or one that matches every line', () => {
    expect(() => parseVerdict('VERDICT: \\w+')).toThrow(/it has 0 capturing groups/)
    expect(() => parseVerdict('(VERDICT): (\\w+)')).toThrow(/it has 2 capturing groups/)
    expect(() => parseVerdict('(\\w*)')).toThrow(/matches an empty line/)
    expect(() => parseVerdict('VERDICT: (\\w+')).toThrow(/Invalid regular expression/)
    expect(parseVerdict('(?<word>PASS|FAIL)$').exec('x PASS')![1]).toBe('PASS')
  })
})

describe('command: timeout and progress on the gate clock', () => {
  it('prints a progress line every 30s with elapsed and time left, and times the run on the gate clock', async () => {
    const dir = fresh()
    const lines: string[] = []
    const clock = steppedClock(async (k, signal) => {
      if (k < 3) return 'advance'
      writeFileSync(path.join(dir, 'release'), '')
      await ended(signal)
      return 'stay'
    })
    const r = await runCommand(
      { run: 'while [ ! -f release ]; do sleep 0.01; done; echo "VERDICT: PASS"', verdict: 'VERDICT: (\\w+)' },
      { ...at(dir), ...clock.ctx, lines },
    )
    expect(r.status).toBe('pass')
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000])
    expect(lines).toEqual([
      'command: running in . with bash -eo pipefail; it is killed with its process group after 10m',
      'command: 30s elapsed, 9m30s left before the timeout',
      'command: 1m elapsed, 9m left before the timeout',
    ])
    expect(r.metrics.duration_ms).toBe(60_000)
    expect(r.checks[0].message).toMatch(/^The script exited 0 after 1m;/)
  })

  it('the last wait before the timeout is only as long as the time left', async () => {
    const dir = fresh()
    const lines: string[] = []
    const clock = steppedClock()
    const r = await runCommand({ run: 'sleep 30', timeout: '45s' }, { ...at(dir), ...clock.ctx, lines })
    expect(clock.sleeps).toEqual([30_000, 15_000])
    expect(lines.slice(1)).toEqual([
      'command: 30s elapsed, 15s left before the timeout',
      'command: still running after 45s (the timeout): killing its process group',
    ])
    expect(r.status).toBe('fail')
  })

  it('at the timeout the whole process group is killed, background children included, before the verdict', async () => {
    const dir = fresh()
    const pids = path.join(dir, 'pids')
    const clock = steppedClock(async () => {
      await waitFor(path.join(dir, 'ready'))
      return 'advance'
    })
    const r = await runCommand(
      {
        run: `echo $$ > pids; sleep 1000 & echo $! >> pids; bash -c 'sleep 1000' & echo $! >> pids; echo waiting; touch ready; wait`,
        'exit-codes': '0=pass,143=pass',
      },
      { ...at(dir), ...clock.ctx },
    )
    expect(r.status).toBe('fail')
    expect(r.checks[0]).toMatchObject({ name: 'exit code', observed: 'still running after 10m' })
    expect(r.checks[0].message).toBe(
      'The script was still running after 10m (the `timeout`) and was killed with its whole process group. Last output line: "waiting". Find why it hangs, or raise `timeout` if it needs longer.',
    )
    expect(clock.sleeps).toHaveLength(20)
    const [leader, ...children] = readFileSync(pids, 'utf8').trim().split('\n').map(Number)
    expect(children).toHaveLength(2)
    expect(groupGone(leader), `process group ${leader} still has members`).toBe(true)
    for (const pid of children) expect(running(pid), `pid ${pid}`).toBe(false)
    expect(r.details).toMatch(/\| ended \| killed at the 10m timeout \|/)
  })

  it('a cancelled run kills the group and fails', async () => {
    const dir = fresh()
    const controller = new AbortController()
    const clock = steppedClock(async (_k, signal) => {
      await waitFor(path.join(dir, 'ready'))
      controller.abort()
      await ended(signal)
      return 'stay'
    })
    const r = await runCommand({ run: 'echo $$ > pid; touch ready; sleep 1000' }, { ...at(dir), ...clock.ctx, signal: controller.signal })
    expect(r.status).toBe('fail')
    expect(r.checks[0].message).toMatch(/^The run was cancelled after .*; the script was killed with its whole process group/)
    expect(groupGone(Number(readFileSync(path.join(dir, 'pid'), 'utf8')))).toBe(true)
  })
})

describe('command: secrets', () => {
  const SECRET = 'hunter2-Secret-Value-91'
  it('env values reach the script and are masked in the output, the messages and the log', async () => {
    const lines: string[] = []
    const r = await runCommand(
      {
        run: 'echo "connecting with $API_TOKEN"; echo "{\\"token\\": \\"$API_TOKEN\\"}"; echo "VERDICT: FAIL $API_TOKEN"; exit 2',
        env: `API_TOKEN=${SECRET}\nREGION=eu-central-1`,
        verdict: 'VERDICT: (\\w+)',
      },
      { ...at(fresh()), lines },
    )
    expect(r.status).toBe('fail')
    expect(r.details).toContain('connecting with ***')
    expect(r.details).toContain('"token": "***"')
    expect(r.checks[1].message).toContain('VERDICT: FAIL ***')
    expect(all(r)).not.toContain(SECRET)
    expect(all(r)).not.toContain('eu-central-1')
    expect(lines.join('\n')).not.toContain(SECRET)
  })

  it('a secret cut by the start of the kept output leaves no piece of it behind', async () => {
    const tail = 64 * 1024
    for (const sep of ['', '\n']) {
      // The kept tail begins 7 characters before the secret ends.
      const run = `printf '%s' "start $API_TOKEN"; head -c ${tail - 7 - sep.length} /dev/zero | tr '\\0' 'y'${sep ? "; echo; echo 'last line'" : ''}`
      const r = await runCommand({ run, env: `API_TOKEN=${SECRET}` }, at(fresh()))
      expect(r.status).toBe('pass')
      expect(r.details).not.toContain(SECRET.slice(-7))
      expect(r.details).not.toContain(SECRET.slice(-5))
    }
  })

  it('keptOutput cuts at least the longest secret when the front was dropped, and nothing when it was not', () => {
    const o = { tail: 'cret-value and more\nnext line', dropped: 10 } as RunOutcome
    expect(keptOutput(o, makeRedactor([]), 12).text).toBe('next line')
    const noNewline = { tail: 'cret-value and more', dropped: 10 } as RunOutcome
    expect(keptOutput(noNewline, makeRedactor([]), 12).text).toBe('nd more')
    const whole = { tail: 'all of it', dropped: 0 } as RunOutcome
    expect(keptOutput(whole, makeRedactor([]), 12)).toEqual({ text: 'all of it', dropped: 0 })
  })

  it('a refused env line is never quoted', async () => {
    const r = await runCommand({ run: 'true', env: `${SECRET}` }, at(fresh()))
    expect(r.inputError).toBe(true)
    expect(r.checks[0].message).toMatch(/input `env`: \(value hidden\) is not valid; expected .*line 1 has no `=`/)
    expect(all(r)).not.toContain(SECRET)
    const empty = await runCommand({ run: 'true', env: 'API_TOKEN=' }, at(fresh()))
    expect(empty.checks[0].message).toMatch(/the value of API_TOKEN on line 1 is empty; is the secret it comes from set\?/)
  })
})

describe('command: result-file', () => {
  it('a JSON file the script writes is hashed into the report (the same SHA-256 as sha256sum)', async () => {
    const dir = fresh()
    const r = await runCommand(
      {
        run: 'mkdir -p artifacts; echo \'{"status":"PASS","checks":12}\' > artifacts/security_gate_result.json',
        'result-file': 'artifacts/security_gate_result.json',
      },
      at(dir),
    )
    const expected = execFileSync('sha256sum', ['artifacts/security_gate_result.json'], { cwd: dir, encoding: 'utf8' }).split(' ')[0]
    expect(r.status).toBe('pass')
    expect(r.checks[1]).toMatchObject({ name: 'result-file', status: 'pass', observed: `sha256:${expected}` })
    expect(r.checks[1].message).toBe(
      `The result file artifacts/security_gate_result.json (30 bytes) was written by this run and is valid JSON; its SHA-256 is ${expected}.`,
    )
    expect(r.outputs['result-sha256']).toBe(expected)
    expect(r.details).toContain(expected)
  })

  it('is relative to working-directory', async () => {
    const dir = fresh()
    mkdirSync(path.join(dir, 'ops'))
    const r = await runCommand({ run: 'echo [] > out.json', 'working-directory': 'ops', 'result-file': 'out.json' }, at(dir))
    expect(r.checks[1]).toMatchObject({ status: 'pass' })
    expect(r.checks[1].message).toMatch(/^The result file ops\/out\.json /)
  })

  it.each([
    ['missing', 'true', /the script did not write it \(it does not exist\)/],
    ['not JSON', 'echo "GATE STATUS: PASS" > r.json', /it is not valid JSON( \(at character \d+\))?\. Its SHA-256 is [0-9a-f]{64}\./],
    ['cut short', `printf '{"status":' > r.json`, /it is not valid JSON \(it ends too early\)/],
    ['empty', ': > r.json', /it is empty, not JSON/],
    ['a folder', 'mkdir r.json', /it is a folder, not a regular file/],
    ['a named pipe', 'mkfifo r.json', /it is a named pipe \(FIFO\), not a regular file/],
  ])('%s: fail', async (_what, run, message) => {
    const r = await runCommand({ run, 'result-file': 'r.json' }, at(fresh()))
    expect(r.status).toBe('fail')
    expect(r.checks[0].status).toBe('pass')
    expect(r.checks[1].message).toMatch(message)
  })

  it("a file left by an earlier run is not this run's result; rewriting the same bytes is", async () => {
    const dir = fresh()
    writeFileSync(path.join(dir, 'r.json'), '{"status":"PASS"}\n')
    utimesSync(path.join(dir, 'r.json'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))
    const stale = await runCommand({ run: 'echo "did nothing"', 'result-file': 'r.json' }, at(dir))
    expect(stale.status).toBe('fail')
    expect(stale.checks[1]).toMatchObject({ observed: 'not written by this run' })
    expect(stale.checks[1].message).toMatch(/it is the file that was there before the script ran: the script did not write it/)
    const rewritten = await runCommand({ run: `echo '{"status":"PASS"}' > r.json`, 'result-file': 'r.json' }, at(dir))
    expect(rewritten.status).toBe('pass')
  })

  it('a failing script still gets its result file checked and hashed', async () => {
    const r = await runCommand({ run: 'echo \'{"status":"FAIL"}\' > r.json; exit 2', 'result-file': 'r.json' }, at(fresh()))
    expect(r.status).toBe('fail')
    expect(r.checks.map((c) => c.status)).toEqual(['fail', 'pass'])
    expect(r.outputs['result-sha256']).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('command: inputs', () => {
  it('parses exit-code maps and refuses bad ones', () => {
    expect([...parseExitCodes('0=pass, 1=WARN\n2:fail')]).toEqual([
      [0, 'pass'],
      [1, 'warn'],
      [2, 'fail'],
    ])
    expect(() => parseExitCodes('0=pass,0=fail')).toThrow(/0 is given twice/)
    expect(() => parseExitCodes('256=pass')).toThrow(/codes 0 to 255/)
    expect(() => parseExitCodes('0=ok')).toThrow(/mapped to pass, warn or fail/)
    expect(() => parseExitCodes(' , ')).toThrow()
  })

  it.each<[Record<string, string>, RegExp]>([
    [{}, /input `run` is required/],
    [{ run: '   ' }, /input `run` is required/],
    [{ run: 'true', timeout: '0s' }, /input `timeout`: "0s" is not valid; expected a duration above zero/],
    [{ run: 'true', timeout: '2d' }, /at most 1d/],
    [{ run: 'true', 'exit-codes': 'pass' }, /input `exit-codes`: "pass" is not valid/],
    [{ run: 'true', verdict: 'VERDICT' }, /input `verdict`: "VERDICT" is not valid; expected .*it has 0 capturing groups/],
    [{ run: 'true', shell: 'sh' }, /has no `shell`; accepted inputs are `run`/],
  ])('refuses %j before running anything', async (inputs, message) => {
    const dir = fresh()
    const r = await runCommand({ ...inputs, ...(inputs.run?.trim() ? { run: `${inputs.run}; touch ran` } : {}) }, at(dir))
    expect(r.inputError).toBe(true)
    expect(r.status).toBe('fail')
    expect(r.checks.map((c) => c.message).join(' ')).toMatch(message)
    expect(() => readFileSync(path.join(dir, 'ran'))).toThrow()
  })

  it('a missing working directory or a missing bash is a fail that says so', async () => {
    const dir = fresh()
    const gone = await runCommand({ run: 'true', 'working-directory': 'no-such-dir' }, at(dir))
    expect(gone.checks[0].message).toBe('The script could not be started: its working directory no-such-dir does not exist. Nothing ran.')
    const nobash = await runCommand({ run: 'true', verdict: 'V: (\\w+)' }, { ...at(dir), env: { PATH: path.join(dir, 'empty') } })
    expect(nobash.checks).toHaveLength(1)
    expect(nobash.checks[0].message).toBe('The script could not be started: `bash` is not on PATH. Nothing ran.')
  })
})
