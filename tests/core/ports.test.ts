// The gate context's ports (src/core/gate.ts): runGate gives a gate the real file system,
// processes, TLS and timers unless the caller passes its own, and a gate reaches them only
// through the context, so a test can hold a deadline, a process or a handshake in its hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultContext, realPorts, runGate, type GateRunContext, type ProcessPort, type Timers } from '../../src/core/gate.js'
import { defineGate } from '../../src/core/gate.js'
import { check } from '../../src/core/result.js'
import { drDrill } from '../../src/gates/dr-drill/gate.js'
import { keyRotation } from '../../src/gates/key-rotation/gate.js'
import { readyz } from '../../src/gates/readyz/gate.js'
import { serve } from '../support/http.js'

const quiet = (over: Partial<GateRunContext> = {}) => defaultContext({ log: () => {}, ...over })

describe('ports', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ports-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runGate hands a gate the real ports when the caller gives none', async () => {
    let seen: Partial<GateRunContext> = {}
    const probe = defineGate({
      name: 'probe',
      category: '-',
      criteria: { en: '-', tr: '-' },
      inputs: {},
      async run(_s, ctx) {
        seen = ctx
        return { checks: [check('pass', 'ports', 'present', 'present', 'The ports are there.')] }
      },
    })
    const bare = { now: () => new Date(0), sleep: async () => {}, fetch, log: () => {}, env: {}, cwd: dir, workspace: dir }
    await runGate(probe, {}, bare, { id: 'probe' })
    const real = realPorts()
    expect(seen.fs).toBe(real.fs)
    expect(seen.exec).toBe(real.exec)
    expect(seen.tls).toBe(real.tls)
    expect(seen.timers).toBe(real.timers)
  })

  it('readyz arms its request deadline with ctx.timers: a deadline fired by the test is a timeout, without waiting', async () => {
    // A server that accepts and never answers: only the deadline can end the probe.
    const server = await serve(() => {})
    const asked: number[] = []
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        asked.push(ms)
        queueMicrotask(fn)
        return 1
      },
      clearTimeout: () => {},
    }
    try {
      const r = await runGate(readyz, { url: `${server.url}/readyz`, timeout: '7s' }, quiet({ timers }), { id: 'readyz' })
      expect(asked).toEqual([7000])
      expect(r.status).toBe('fail')
      expect(r.checks[0].message).toContain('gave no complete answer within 7s')
    } finally {
      await server.close()
    }
  })

  it('dr-drill runs its restore through ctx.exec, with the limit and the bash it was told', async () => {
    const calls: Parameters<ProcessPort>[0][] = []
    const exec: ProcessPort = async (spec) => {
      calls.push(spec)
      return {
        code: 3,
        signal: null,
        durationMs: 1200,
        timedOut: false,
        cancelled: false,
        tail: 'restore: no such backup\n',
        dropped: 0,
        stdout: '',
        stdoutOverflow: false,
      }
    }
    const r = await runGate(drDrill, { 'restore-command': 'restore-from-backup', rto: '1m' }, quiet({ exec, cwd: dir, workspace: dir }), {
      id: 'dr',
    })
    expect(calls).toHaveLength(1)
    expect(calls[0].argv).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', 'restore-from-backup'])
    expect(calls[0].limitMs).toBe(120_000)
    expect(r.status).toBe('fail')
    expect(r.checks.find((c) => c.name === 'restore-command')?.message).toContain('exited 3 after 1.2s: restore: no such backup')
  })

  it('key-rotation reads its files through ctx.fs and connects through ctx.tls', async () => {
    writeFileSync(path.join(dir, 'not-a-cert.pem'), 'hello\n')
    const opened: string[] = []
    const real = realPorts()
    const fs = {
      ...real.fs,
      open: ((file: string, ...rest: unknown[]) => (
        opened.push(file),
        (real.fs.open as (...a: unknown[]) => unknown)(file, ...rest)
      )) as typeof real.fs.open,
    }
    const connected: string[] = []
    const port = {
      ...real.tls,
      connect: ((opts: tls.ConnectionOptions) => (connected.push(`${opts.host}:${opts.port}`), tls.connect(opts))) as typeof tls.connect,
    }
    const r = await runGate(
      keyRotation,
      { certificates: 'not-a-cert.pem', endpoints: '127.0.0.1:9', timeout: '5s' },
      quiet({ fs, tls: port, cwd: dir, workspace: dir }),
      { id: 'keys' },
    )
    expect(opened).toEqual([path.join(dir, 'not-a-cert.pem')])
    expect(connected).toEqual(['127.0.0.1:9'])
    expect(r.status).toBe('fail')
    expect(r.checks.map((c) => c.message).join('\n')).toMatch(/connection refused \(ECONNREFUSED\)/)
  })
})
