// The notifications the reusable cutover workflow sends beyond the runbook's four messages, against
// a real webhook receiver on 127.0.0.1, with reports written by the real report writer:
// `phase` (the runbook's "Pre-flight PASS" line, its word computed from the reports), `approved`
// ("GO to start the cutover", only over a passing approval), `rollback-failed` (the loudest state),
// and a start message that promises only what is sent.
import { createServer, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { writeReport } from '../../../src/core/report.js'
import type { GateResult, Status } from '../../../src/core/result.js'
import { notify } from '../../../src/gates/notify/gate.js'
import { WORDS } from '../../../src/core/i18n.js'

/** The broadcast's sentences, from the one dictionary. */
const PLAN = { en: WORDS.en.broadcast, tr: WORDS.tr.broadcast }

const SHA = '0123456789abcdef0123456789abcdef01234567'
const ENV = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', GITHUB_SHA: SHA }

const servers: Server[] = []
async function receiver() {
  const received: unknown[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      res.writeHead(200).end('ok')
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T0/B0/s3cr3t`, received }
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))))
})

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'notify-events-'))
})
afterAll(() => rm(scratch, { recursive: true, force: true }))

async function gate(inputs: Record<string, string>) {
  const ctx = defaultContext({ log: () => {}, env: ENV, cwd: scratch, workspace: scratch })
  return runGate(notify, inputs, ctx, { id: 'notify' })
}

async function reports(entries: [string, Status][]): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, 'reports-'))
  for (const [i, [id, status]] of entries.entries()) {
    const at = new Date(Date.UTC(2026, 2, 2, 12, i)).toISOString()
    const r: GateResult = {
      id,
      gate: id,
      status,
      summary: `${id}: ${status.toUpperCase()}`,
      checks: [],
      metrics: {},
      startedAt: at,
      finishedAt: at,
      durationMs: 0,
    }
    await writeReport(dir, r, { repository: 'acme/shop', sha: SHA, runId: '4242' })
  }
  return path.relative(scratch, dir)
}

const message = (body: unknown) => (body as { message: string }).message

describe('phase: the seed’s checkpoint line, its word computed from the phase’s reports', () => {
  it.each<[string, [string, Status][], string, string, string]>([
    [
      'every gate passed',
      [
        ['api-readyz', 'pass'],
        ['rc-proof', 'pass'],
      ],
      'en',
      'Pre-flight PASS',
      'pass',
    ],
    [
      'a gate warned',
      [
        ['api-readyz', 'pass'],
        ['keys', 'warn'],
      ],
      'en',
      'Pre-flight WARN',
      'warn',
    ],
    [
      'a gate failed',
      [
        ['api-readyz', 'pass'],
        ['canary-25', 'fail'],
      ],
      'en',
      'Pre-flight FAIL',
      'fail',
    ],
    ['in Turkish', [['keys', 'warn']], 'tr', 'Pre-flight UYARI', 'warn'],
  ])('%s', async (_, entries, language, text, status) => {
    const hook = await receiver()
    const r = await gate({
      'webhook-url': hook.url,
      format: 'json',
      event: 'phase',
      message: 'Pre-flight',
      reports: await reports(entries),
      language,
    })
    expect(message(hook.received[0])).toBe(text)
    expect(hook.received[0]).toMatchObject({ event: 'phase', status })
    expect(r.status).toBe('pass')
  })

  it('a phase that left no report is FAIL, and says that nothing was measured', async () => {
    const hook = await receiver()
    const empty = await mkdtemp(path.join(scratch, 'empty-'))
    const r = await gate({
      'webhook-url': hook.url,
      format: 'json',
      event: 'phase',
      message: 'Canary 25%',
      reports: path.relative(scratch, empty),
    })
    expect(message(hook.received[0])).toBe('Canary 25% FAIL: no gate report was written, so nothing was measured.')
    expect(hook.received[0]).toMatchObject({ status: 'fail' })
    // The gate itself says the folder held nothing, so the step's log does too.
    expect(r.status).toBe('fail')
    const missing = await gate({
      'webhook-url': hook.url,
      format: 'json',
      event: 'phase',
      message: 'Verification',
      reports: 'no-such-folder',
      language: 'tr',
    })
    expect(message(hook.received[1])).toBe('Verification FAIL: gate raporu yazılmadı, yani hiçbir şey ölçülmedi.')
    expect(missing.status).toBe('fail')
  })

  it('a report of another commit does not make a phase PASS', async () => {
    const hook = await receiver()
    const dir = await mkdtemp(path.join(scratch, 'other-'))
    const at = new Date().toISOString()
    await writeReport(
      dir,
      {
        id: 'api',
        gate: 'readyz',
        status: 'pass',
        summary: 'api: PASS',
        checks: [],
        metrics: {},
        startedAt: at,
        finishedAt: at,
        durationMs: 0,
      },
      {
        sha: 'f'.repeat(40),
      },
    )
    await gate({ 'webhook-url': hook.url, format: 'json', event: 'phase', message: 'Verification', reports: path.relative(scratch, dir) })
    expect(message(hook.received[0])).toBe('Verification FAIL')
  })

  it.each([
    [{ reports: 'x' }, /`message` was not given/],
    [{ message: 'Pre-flight' }, /`reports` was not given/],
    [{}, /neither was given/],
  ])('needs the phase and its reports: %j', async (given, why) => {
    const hook = await receiver()
    const r = await gate({ 'webhook-url': hook.url, event: 'phase', ...given })
    expect(r.status).toBe('fail')
    expect(r.summary).toMatch(why)
    expect(hook.received).toEqual([])
  })
})

describe('approved: "GO to start the cutover", only over an approval that passed', () => {
  it('is sent, in the checkpoint style, in English and Turkish', async () => {
    const hook = await receiver()
    const dir = await reports([['approval-guard', 'pass']])
    await gate({ 'webhook-url': hook.url, event: 'approved', reports: dir })
    await gate({ 'webhook-url': hook.url, format: 'json', event: 'approved', reports: dir, language: 'tr' })
    const slack = hook.received[0] as { text: string; blocks: { text?: { text: string } }[] }
    expect(slack.blocks[0].text?.text).toBe('🟢 Checkpoint Update')
    expect(slack.blocks[1].text?.text).toBe('GO to start the cutover.')
    expect(hook.received[1]).toMatchObject({ status: 'pass', message: "Cutover'ı başlatmak için GO verildi." })
  })

  it('is not sent over a failed or warning approval', async () => {
    const hook = await receiver()
    const failed = await gate({ 'webhook-url': hook.url, event: 'approved', reports: await reports([['approval-guard', 'fail']]) })
    const warned = await gate({ 'webhook-url': hook.url, event: 'approved', reports: await reports([['approval-guard', 'warn']]) })
    expect(hook.received).toEqual([])
    for (const r of [failed, warned]) {
      expect(r.status).toBe('fail')
      expect(r.checks.find((c) => c.name === 'announcement')?.message).toMatch(/^The approved announcement was not sent/)
    }
  })
})

describe('rollback-failed: the loudest state', () => {
  it('says ROLLBACK FAILED, why, and what to do now, in English and Turkish', async () => {
    const hook = await receiver()
    const r = await gate({ 'webhook-url': hook.url, event: 'rollback-failed', message: 'the rollback command exited 3.' })
    await gate({
      'webhook-url': hook.url,
      format: 'json',
      event: 'rollback-failed',
      message: 'the rollback command exited 3',
      language: 'tr',
    })
    expect(r.status).toBe('pass')
    const slack = hook.received[0] as { text: string; blocks: { text?: { text: string } }[] }
    expect(slack.blocks[0].text?.text).toBe('🚨 ROLLBACK FAILED')
    expect(slack.blocks[1].text?.text).toBe(
      'ROLLBACK FAILED. Reason: the rollback command exited 3. The previous version is not confirmed restored: the Incident Commander decides now. Follow the rollback plan by hand (maintenance mode, previous version, restore, verify) and keep traffic closed until the system is verified.',
    )
    expect(hook.received[1]).toMatchObject({
      event: 'rollback-failed',
      status: 'fail',
      message:
        "ROLLBACK BAŞARISIZ. Sebep: the rollback command exited 3. Önceki sürümün geri yüklendiği doğrulanmadı: karar şimdi Incident Commander'da. Rollback planını elle uygulayın (maintenance mode, önceki sürüm, geri yükleme, doğrulama) ve sistem doğrulanana kadar trafiği kapalı tutun.",
    })
  })

  it('without a reason it is still sent, and warns that the reason is missing', async () => {
    const hook = await receiver()
    const r = await gate({ 'webhook-url': hook.url, format: 'json', event: 'rollback-failed' })
    expect(message(hook.received[0])).toMatch(/^ROLLBACK FAILED\. Reason: not given\. /)
    expect(r.status).toBe('warn')
    expect(r.checks.find((c) => c.name === 'message')?.message).toMatch(/failed rollback was announced without a reason/)
  })
})

describe('the start message promises only what is sent', () => {
  it('no "every 15m": updates come at the checkpoints, in both languages', () => {
    expect(PLAN.en.start).toBe('Cutover initiated. Maintenance window active. Updates at every checkpoint.')
    expect(PLAN.tr.start).toBe('Cutover başlatıldı. Bakım penceresi aktif. Her kontrol noktasında güncelleme.')
    for (const language of ['en', 'tr'] as const) expect(PLAN[language].start).not.toMatch(/15/)
  })
})
