// notify against a real webhook receiver on 127.0.0.1: exact payloads for Slack, Teams and JSON
// in en and tr, reports written by the real report writer, a webhook that fails, one that hangs,
// and the webhook URL (a credential) absent from everything the gate returns.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { writeReport } from '../../../src/core/report.js'
import type { GateResult, Status } from '../../../src/core/result.js'
import { InputFormError } from '../../../src/core/units.js'
import { notify } from '../../../src/gates/notify/gate.js'
import { buildNotification, EVENTS } from '../../../src/gates/notify/messages.js'
import { fitLines, SLACK_LIMITS, slackPayload } from '../../../src/gates/notify/payloads.js'
import { parseWebhookUrl, webhookSecrets } from '../../../src/gates/notify/webhook.js'
import { runAction } from '../../harness/run-action.js'

// ---------------------------------------------------------------------------------------------
// A webhook receiver

interface Received {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: unknown
}
type Reply = (req: IncomingMessage, res: ServerResponse) => void

const SECRET_PATH = '/services/T0CUTOVER/B0GATES99/Xq7sEcReTtOkEn0123456789abcd'
const TOKEN = 'Xq7sEcReTtOkEn0123456789abcd'

interface Receiver {
  url: string
  host: string
  received: Received[]
}

const servers: Server[] = []
async function receiver(reply: Reply = (_q, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')): Promise<Receiver> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // kept as text: the assertion on the body will show it
      }
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body })
      reply(req, res)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}${SECRET_PATH}`, host: `127.0.0.1:${port}`, received }
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections()
          s.close(() => resolve())
        }),
    ),
  )
})

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'notify-test-'))
})
afterAll(() => rm(scratch, { recursive: true, force: true }))

const SHA = '0123456789abcdef0123456789abcdef01234567'
const ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SHA: SHA,
}
const RUN_URL = 'https://github.com/acme/shop/actions/runs/4242'

async function gate(inputs: Record<string, string>, env: Record<string, string> = ENV, fetcher: typeof fetch = globalThis.fetch) {
  const ctx = defaultContext({ log: () => {}, env, cwd: scratch, workspace: scratch, fetch: fetcher })
  return runGate(notify, inputs, ctx, { id: 'notify' })
}

/** The credential appears nowhere in what the gate returns. */
function expectNoSecret(value: unknown, url: string) {
  const text = JSON.stringify(value)
  expect(text).not.toContain(url)
  expect(text).not.toContain(SECRET_PATH)
  expect(text).not.toContain(TOKEN)
  expect(text).not.toContain('B0GATES99/')
}

/** Gate reports, as the runner writes them, started a minute apart in the order given. */
async function reports(entries: [id: string, status: Status, summary: string][], sha = SHA): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, 'reports-'))
  await Promise.all(
    entries.map(([id, status, summary], i) => {
      const started = new Date(Date.UTC(2025, 5, 1, 11, i)).toISOString()
      const result: GateResult = {
        id,
        gate: id,
        status,
        summary,
        checks: [],
        metrics: {},
        startedAt: started,
        finishedAt: started,
        durationMs: 0,
      }
      return writeReport(dir, result, { repository: 'acme/shop', sha, runId: '4242' })
    }),
  )
  return path.relative(scratch, dir)
}

const byName = (r: Awaited<ReturnType<typeof gate>>, name: string) => r.checks.find((c) => c.name === name)

// ---------------------------------------------------------------------------------------------

describe('notify: Slack Block Kit', () => {
  it('posts the cutover start message of the runbook, exactly', async () => {
    const hook = await receiver()
    const r = await gate({ 'webhook-url': hook.url, event: 'start' })
    expect(r.status, r.summary).toBe('pass')
    expect(hook.received).toHaveLength(1)
    const got = hook.received[0]
    expect(got.method).toBe('POST')
    expect(got.path).toBe(SECRET_PATH)
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(got.body).toEqual({
      text: 'Cutover Start: Cutover initiated. Maintenance window active. Updates at every checkpoint.',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '🚀 Cutover Start', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Cutover initiated. Maintenance window active. Updates at every checkpoint.' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Repository*\nacme/shop' },
            { type: 'mrkdwn', text: '*Commit*\n`0123456789ab`' },
            { type: 'mrkdwn', text: '*Status*\nINFO' },
            { type: 'mrkdwn', text: '*Event*\nstart' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `<${RUN_URL}|View run> · Cutover Gates` }] },
      ],
    })
    const webhook = byName(r, 'webhook')!
    expect(webhook.status).toBe('pass')
    expect(webhook.observed).toMatch(/^HTTP 200 in \d+ms$/)
    expect(webhook.expected).toBe('HTTP 2xx within 10s')
    expect(webhook.message).toMatch(
      new RegExp(`^Sent the start notification to the slack webhook \\(host ${hook.host}\\): HTTP 200 in \\d+ms\\.$`),
    )
    expect(r.outputs).toEqual({ delivered: 'true', 'http-status': '200' })
    expect(r.metrics.http_status).toBe(200)
    expectNoSecret(r, hook.url)
  })

  it('posts the Turkish start message, and checkpoint PASS/FAIL lines from the reports in timeline order', async () => {
    const hook = await receiver()
    await gate({ 'webhook-url': hook.url, event: 'start', language: 'tr' })
    const start = hook.received[0].body as { text: string; blocks: { text?: { text: string }; fields?: { text: string }[] }[] }
    expect(start.blocks[1].text!.text).toBe('Cutover başlatıldı. Bakım penceresi aktif. Her kontrol noktasında güncelleme.')
    expect(start.blocks[0].text!.text).toBe('🚀 Cutover Başlangıcı')
    expect(start.blocks[2].fields!.map((f) => f.text)).toEqual([
      '*Depo*\nacme/shop',
      '*Commit*\n`0123456789ab`',
      '*Durum*\nINFO',
      '*Olay*\nstart',
    ])

    const dir = await reports([
      ['pre-flight', 'pass', 'pre-flight: PASS (4 of 4 checks passed)'],
      ['backup', 'pass', 'backup: PASS (2 of 2 checks passed)'],
      ['deploy-smoke', 'warn', 'deploy-smoke: WARN: p99 610ms above 500ms'],
      ['canary', 'fail', 'canary: FAIL: error rate 2.1% > 1%'],
    ])
    const r = await gate({ 'webhook-url': hook.url, event: 'checkpoint', reports: dir, language: 'tr' })
    expect(r.status, r.summary).toBe('pass')
    expect(byName(r, 'reports')).toMatchObject({ status: 'pass', observed: '4 reports', location: { path: dir } })
    const body = hook.received[1].body as { text: string; blocks: unknown[] }
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '📋 Kontrol Noktası Güncellemesi', emoji: true } })
    expect(body.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'Kontrol noktası güncellemesi: 2 PASS, 1 UYARI, 1 FAIL.' },
    })
    expect(body.blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '✅ pre-flight PASS\n✅ backup PASS\n⚠️ deploy-smoke UYARI\n❌ canary FAIL' },
    })
    expect(body.text).toBe(
      'Kontrol Noktası Güncellemesi: Kontrol noktası güncellemesi: 2 PASS, 1 UYARI, 1 FAIL.\npre-flight PASS\nbackup PASS\ndeploy-smoke UYARI\ncanary FAIL',
    )
    expect(r.details).toContain('| canary | FAIL | canary: FAIL: error rate 2.1% > 1% |')
    expectNoSecret(r, hook.url)
  })

  it('escapes Slack control characters in free text and cuts long checkpoint lists to the section limit', async () => {
    const hook = await receiver()
    await gate({ 'webhook-url': hook.url, event: 'go', message: 'Ledger <ok> & queue < SLA' })
    const go = hook.received[0].body as { blocks: { text?: { text: string } }[] }
    expect(go.blocks[1].text!.text).toBe('GO decision made. System live. Hypercare started. Ledger &lt;ok&gt; &amp; queue &lt; SLA')

    const many = Array.from(
      { length: 300 },
      (_, i) => [`gate-${String(i).padStart(3, '0')}-with-a-long-name`, 'pass', 'ok'] as [string, Status, string],
    )
    const dir = await reports(many)
    await gate({ 'webhook-url': hook.url, event: 'checkpoint', reports: dir })
    const body = hook.received[1].body as { blocks: { text?: { text: string } }[] }
    const lines = body.blocks[2].text!.text
    expect(lines.length).toBeLessThanOrEqual(SLACK_LIMITS.section)
    expect(lines).toMatch(/\n… and \d+ more$/)
    const shown = lines.split('\n').length - 1
    expect(lines).toContain(`… and ${300 - shown} more`)
  })
})

describe('notify: Microsoft Teams and JSON', () => {
  it('posts an Adaptive Card for a Workflows webhook: GO-LIVE in Turkish', async () => {
    const hook = await receiver((_q, res) => res.writeHead(202).end())
    const dir = await reports([
      ['pre-flight', 'pass', 'pre-flight: PASS'],
      ['canary', 'pass', 'canary: PASS'],
    ])
    const r = await gate({ 'webhook-url': hook.url, format: 'teams', event: 'go', reports: dir, language: 'tr' })
    expect(r.status, r.summary).toBe('pass')
    expect(hook.received[0].body).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: '✅ GO-LIVE Duyurusu', size: 'Large', weight: 'Bolder', color: 'Good', wrap: true },
              { type: 'TextBlock', text: 'GO kararı verildi. Sistem canlı. Hypercare başladı.', wrap: true },
              { type: 'TextBlock', text: '✅ pre-flight PASS', wrap: true, spacing: 'Small' },
              { type: 'TextBlock', text: '✅ canary PASS', wrap: true, spacing: 'Small' },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Depo', value: 'acme/shop' },
                  { title: 'Commit', value: '0123456789ab' },
                  { title: 'Durum', value: 'PASS' },
                  { title: 'Olay', value: 'go' },
                ],
              },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Çalıştırmayı aç', url: RUN_URL }],
          },
        },
      ],
    })
    expect(byName(r, 'webhook')!.observed).toMatch(/^HTTP 202 in /)
    expect(r.outputs['http-status']).toBe('202')
  })

  it('posts plain JSON: a rollback with its reason, in English and Turkish', async () => {
    const hook = await receiver()
    const dir = await reports([['canary', 'fail', 'canary: FAIL: payout failure rate 18% > 15%']])
    const env = { ...ENV, GITHUB_RUN_ATTEMPT: '2' }
    let r = await gate(
      { 'webhook-url': hook.url, format: 'json', event: 'rollback', reports: dir, message: 'payout failure rate 18% > 15%.' },
      env,
    )
    expect(r.status, r.summary).toBe('pass')
    expect(hook.received[0].body).toEqual({
      event: 'rollback',
      status: 'fail',
      repository: 'acme/shop',
      sha: SHA,
      runUrl: `${RUN_URL}/attempts/2`,
      checkpoints: [{ id: 'canary', status: 'fail', summary: 'canary: FAIL: payout failure rate 18% > 15%' }],
      message: 'Rollback triggered. Reason: payout failure rate 18% > 15%. Restoration in progress.',
      language: 'en',
    })
    r = await gate({ 'webhook-url': hook.url, format: 'json', event: 'rollback', message: 'Ledger invariant ihlali', language: 'tr' })
    expect(hook.received[1].body).toMatchObject({
      event: 'rollback',
      status: 'fail',
      checkpoints: [],
      message: 'Rollback tetiklendi. Sebep: Ledger invariant ihlali. Geri yükleme devam ediyor.',
      language: 'tr',
    })
    expectNoSecret(r, hook.url)
  })

  it('sends a rollback without a reason, and warns that the reason is missing', async () => {
    const hook = await receiver()
    const r = await gate({ 'webhook-url': hook.url, format: 'json', event: 'rollback' })
    expect(r.status).toBe('warn')
    expect(byName(r, 'message')).toMatchObject({ status: 'warn', observed: 'no reason given' })
    expect((hook.received[0].body as { message: string }).message).toBe('Rollback triggered. Reason: not given. Restoration in progress.')
  })

  it('has a sentence for every event in both languages', async () => {
    const hook = await receiver()
    const expected = {
      en: {
        'no-go': 'NO-GO decision made. One or more criteria failed; cutover postponed.',
        complete: 'Go-Live COMPLETE. Hypercare continues.',
      },
      tr: {
        'no-go': 'NO-GO kararı verildi. Bir veya daha fazla kriter sağlanmadı; cutover ertelendi.',
        complete: 'Go-Live TAMAMLANDI. Hypercare devam ediyor.',
      },
    }
    for (const language of ['en', 'tr'] as const) {
      for (const event of ['no-go', 'complete'] as const) {
        await gate({ 'webhook-url': hook.url, format: 'json', event, language })
        expect((hook.received.at(-1)!.body as { message: string }).message).toBe(expected[language][event])
      }
    }
    expect(hook.received.map((q) => (q.body as { status: string }).status)).toEqual(['fail', 'pass', 'fail', 'pass'])
  })
})

describe('notify: never announce success over a failing report', () => {
  it('does not send GO over a warning unless the decision rule allows it (allow-warn, or the config’s decide block)', async () => {
    const hook = await receiver()
    const dir = await reports([
      ['pre-flight', 'pass', 'ok'],
      ['search', 'warn', 'search: WARN: degraded'],
    ])
    const r = await gate({ 'webhook-url': hook.url, event: 'go', reports: dir })
    expect(r.status).toBe('fail')
    expect(byName(r, 'announcement')).toMatchObject({ status: 'fail', observed: 'not sent: search WARN' })
    expect(byName(r, 'announcement')!.message).toContain('search warned and `allow-warn` is not set, so it is not a GO')
    expect(hook.received).toHaveLength(0)

    const allowed = await gate({ 'webhook-url': hook.url, event: 'go', reports: dir, 'allow-warn': 'true' })
    expect(byName(allowed, 'announcement')).toBeUndefined()
    expect(hook.received).toHaveLength(1)

    await writeFile(path.join(scratch, 'rule.yml'), 'version: 1\ndecide:\n  allow-warn: true\ngates:\n  - { id: search, uses: readyz }\n')
    const byConfig = await gate({ 'webhook-url': hook.url, event: 'complete', reports: dir, config: 'rule.yml' })
    expect(byName(byConfig, 'announcement')).toBeUndefined()
    expect(hook.received).toHaveLength(2)
  })

  it('does not send GO while a report failed, is unusable, or belongs to another commit', async () => {
    const hook = await receiver()
    let dir = await reports([
      ['pre-flight', 'pass', 'ok'],
      ['canary', 'fail', 'canary: FAIL'],
    ])
    let r = await gate({ 'webhook-url': hook.url, event: 'go', reports: dir })
    expect(r.status).toBe('fail')
    expect(byName(r, 'announcement')).toMatchObject({ status: 'fail', observed: 'not sent: canary FAIL' })
    expect(byName(r, 'announcement')!.message).toContain(
      `The go announcement was not sent to the slack webhook (host ${hook.host}): canary failed`,
    )
    expect(byName(r, 'webhook')).toBeUndefined()
    expect(r.outputs).toEqual({ delivered: 'false', 'http-status': '' })
    expect(hook.received).toHaveLength(0)

    dir = await reports([['pre-flight', 'pass', 'ok']], 'f'.repeat(40))
    r = await gate({ 'webhook-url': hook.url, event: 'complete', reports: dir })
    expect(r.status).toBe('fail')
    expect(byName(r, 'reports')!.message).toContain(`is about commit ffffffffffff, not 0123456789ab being cut over`)
    expect(hook.received).toHaveLength(0)

    // A checkpoint still goes out, with the stale and the unreadable report as FAIL lines.
    await writeFile(path.join(scratch, dir, 'broken.json'), '{"id": "broken", "status": ')
    r = await gate({ 'webhook-url': hook.url, event: 'checkpoint', format: 'json', reports: dir })
    expect(r.status).toBe('fail')
    expect(byName(r, 'reports')).toMatchObject({ status: 'fail', observed: '2 problems in 2 files' })
    expect(byName(r, 'reports')!.message).toContain(`${dir}/broken.json is not a usable gate report: it is not JSON`)
    expect(byName(r, 'webhook')!.status).toBe('pass')
    expect((hook.received[0].body as { checkpoints: unknown[] }).checkpoints).toEqual([
      { id: 'broken', status: 'fail', summary: expect.stringMatching(/^unusable report: it is not JSON/) },
      { id: 'pre-flight', status: 'fail', summary: 'report of commit ffffffffffff, not 0123456789ab' },
    ])
  })

  it('fails on a missing or empty reports folder, and on a file that is not a report', async () => {
    const hook = await receiver()
    let r = await gate({ 'webhook-url': hook.url, event: 'start', reports: 'no-such-dir' })
    expect(byName(r, 'reports')).toMatchObject({ status: 'fail' })
    expect(byName(r, 'reports')!.message).toBe(
      'The reports folder no-such-dir does not exist; point `reports` at the `report-dir` of the gates.',
    )
    expect(byName(r, 'webhook')!.status).toBe('pass')
    const empty = await mkdtemp(path.join(scratch, 'empty-'))
    await writeFile(path.join(empty, 'cutover-summary.json'), '{}')
    r = await gate({ 'webhook-url': hook.url, event: 'checkpoint', reports: path.basename(empty) })
    expect(byName(r, 'reports')!.message).toContain('holds no gate report')
    await writeFile(path.join(empty, 'package.json'), '{"name": "x"}')
    r = await gate({ 'webhook-url': hook.url, event: 'checkpoint', reports: path.basename(empty), format: 'json' })
    expect(byName(r, 'reports')!.message).toContain('package.json is not a usable gate report: id:')
  })
})

describe('notify: a webhook that fails is a warning, and its URL stays secret', () => {
  it('warns on HTTP 500, naming the status and the answer, not the URL', async () => {
    const hook = await receiver((_q, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`internal_error at ${SECRET_PATH}`))
    const r = await gate({ 'webhook-url': hook.url, event: 'start' })
    expect(r.status).toBe('warn')
    const webhook = byName(r, 'webhook')!
    expect(webhook.status).toBe('warn')
    expect(webhook.observed).toMatch(/^HTTP 500 in /)
    expect(webhook.message).toContain(
      `The slack webhook (host ${hook.host}) answered HTTP 500 to the start notification (answer: "internal_error at ***")`,
    )
    expect(webhook.message).toContain('Post the update in the channel by hand')
    expect(r.outputs).toEqual({ delivered: 'false', 'http-status': '500' })
    expect(r.summary).toMatch(/^notify: WARN: The slack webhook \(host 127\.0\.0\.1:\d+\) answered HTTP 500/)
    expectNoSecret(r, hook.url)
  })

  it('warns on a webhook that hangs, within the timeout', async () => {
    let hungUp: Promise<void> | undefined
    const hook = await receiver((req) => {
      // never answers; the gate must hang up itself
      hungUp = new Promise((resolve) => req.socket.once('close', () => resolve()))
    })
    const signals: AbortSignal[] = []
    const fetcher: typeof fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal)
      return globalThis.fetch(input, init)
    }
    const r = await gate({ 'webhook-url': hook.url, event: 'checkpoint', message: 'Deploy+Smoke PASS', timeout: '300ms' }, ENV, fetcher)
    // The deadline, not the receiver, ended the request: its signal fired and the connection was closed.
    expect(signals).toHaveLength(1)
    expect(signals[0].aborted).toBe(true)
    expect(hungUp).toBeDefined()
    await hungUp
    expect(r.status).toBe('warn')
    expect(byName(r, 'webhook')).toMatchObject({ status: 'warn', observed: 'no answer within 300ms', expected: 'HTTP 2xx within 300ms' })
    expect(byName(r, 'webhook')!.message).toContain(
      `The slack webhook (host ${hook.host}) did not answer the checkpoint notification within 300ms`,
    )
    expect(r.outputs).toEqual({ delivered: 'false', 'http-status': '' })
    expect(hook.received).toHaveLength(1)
    expectNoSecret(r, hook.url)
  })

  it('warns when nothing listens, and refuses a redirect', async () => {
    const closed = await receiver()
    const url = closed.url
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()))
    let r = await gate({ 'webhook-url': url, event: 'start' })
    expect(r.status).toBe('warn')
    expect(byName(r, 'webhook')!.message).toMatch(/could not be reached for the start notification: connection refused \(ECONNREFUSED\)/)
    expectNoSecret(r, url)

    const hook = await receiver((_q, res) => res.writeHead(302, { location: `https://elsewhere.example${SECRET_PATH}` }).end())
    r = await gate({ 'webhook-url': hook.url, event: 'start' })
    expect(byName(r, 'webhook')).toMatchObject({ status: 'warn' })
    expect(byName(r, 'webhook')!.message).toContain('answered HTTP 302')
    expect(byName(r, 'webhook')!.message).toContain('a webhook does not redirect')
    expect(hook.received).toHaveLength(1)
    expectNoSecret(r, hook.url)
  })

  it('refuses an invalid webhook URL naming the input, never the value', async () => {
    for (const bad of [
      'not a url',
      `http://hooks.example.com${SECRET_PATH}`,
      `https://user:${TOKEN}@hooks.example.com/x`,
      `ftp://hooks.example.com${SECRET_PATH}`,
    ]) {
      const r = await gate({ 'webhook-url': bad, event: 'start' })
      expect(r.status).toBe('fail')
      expect(r.inputError).toBe(true)
      expect(r.checks[0].message).toContain('input `webhook-url`: (value hidden) is not valid; expected an https:// webhook URL')
      expect(JSON.stringify(r)).not.toContain(TOKEN)
      expect(JSON.stringify(r)).not.toContain(bad)
    }
    const r = await gate({ 'webhook-url': 'https://hooks.slack.com/x', event: 'checkpoint' })
    expect(r.checks[0].message).toContain('`event: checkpoint` needs `reports` (a folder of gate reports to summarise) or `message`')
    const t = await gate({ 'webhook-url': 'https://hooks.slack.com/x', event: 'start', timeout: '10m' })
    expect(t.checks[0].message).toContain('input `timeout`: "10m" is not valid; expected a duration above zero and at most 5m')
  })
})

describe('notify: parsers and builders never crash', () => {
  it('parseWebhookUrl: any text is a URL it accepts or an InputFormError that hides the value', () => {
    const loopback = (h: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(h) || h.endsWith('.localhost')
    // URL-shaped text around the rules (scheme, loopback hosts, user:password@), and any text at all.
    const urlish = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'javascript:', ''),
        fc.option(fc.constantFrom('user:pw@', 'user@', ':pw@', '%40@'), { nil: '' }),
        fc.constantFrom('hooks.slack.com', '127.0.0.1', 'localhost', '[::1]', 'x.localhost', '127.0.0.2', 'example.com:8443', ''),
        fc.string(),
      )
      .map((parts) => parts.join(''))
    for (const text of [fc.string(), urlish, fc.stringMatching(/^https?:\/\/[\s\S]*$/)]) {
      fc.assert(
        fc.property(text, (raw) => {
          webhookSecrets(raw)
          let url: URL
          try {
            url = parseWebhookUrl(raw)
          } catch (err) {
            return err instanceof InputFormError && err.received === '(hidden)'
          }
          return (
            (url.protocol === 'https:' || (url.protocol === 'http:' && loopback(url.hostname))) &&
            url.username === '' &&
            url.password === ''
          )
        }),
        { numRuns: 300 },
      )
    }
  })

  it('webhookSecrets masks the path, the query and long tokens, not the host', () => {
    const secrets = webhookSecrets(
      `https://prod-12.westus.logic.azure.com:443/workflows/0123456789abcdef0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg`,
    )
    expect(secrets).toContain('0123456789abcdef0123456789abcdef')
    expect(secrets).toContain('AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg')
    expect(secrets.some((s) => s.startsWith('/workflows/'))).toBe(true)
    expect(secrets).not.toContain('prod-12.westus.logic.azure.com')
    expect(secrets).not.toContain('workflows')
  })

  it('fitLines never exceeds the limit and always accounts for every line', () => {
    const more = (n: number) => `… and ${n} more`
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 200 }), fc.integer({ min: 40, max: 3000 }), (lines, max) => {
        const text = fitLines(lines, max, more)
        expect([...text].length).toBeLessThanOrEqual(max)
        const m = /… and (\d+) more$/.exec(text)
        if (!m) expect(text).toBe(lines.join('\n'))
      }),
    )
  })

  it('buildNotification and the Slack payload accept any free text and any report ids', () => {
    const status = fc.constantFrom<Status>('pass', 'warn', 'fail')
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.constantFrom('en' as const, 'tr' as const),
        fc.option(fc.string(), { nil: undefined }),
        fc.array(fc.record({ id: fc.string({ minLength: 1 }), status, summary: fc.string() }), { maxLength: 30 }),
        (event, language, message, checkpoints) => {
          const n = buildNotification({ event, language, message, checkpoints })
          expect(n.lines).toHaveLength(checkpoints.length)
          const slack = slackPayload(n)
          const header = (slack.blocks[0] as { text: { text: string } }).text.text
          expect([...header].length).toBeLessThanOrEqual(SLACK_LIMITS.header)
          expect(JSON.parse(JSON.stringify(slack))).toEqual(slack)
        },
      ),
    )
  })
})

describe('notify action (bundled, as the runner runs it)', () => {
  it('posts the message and keeps the webhook URL out of the log, outputs, summary and report', async () => {
    const hook = await receiver()
    const cwd = await mkdtemp(path.join(scratch, 'ws-'))
    const run = await runAction('notify', {
      inputs: { 'webhook-url': hook.url, event: 'rollback', message: 'Ledger invariant breach', format: 'json', 'check-run': 'false' },
      cwd,
    })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'pass', delivered: 'true', 'http-status': '200' })
    expect(hook.received[0].body).toMatchObject({
      event: 'rollback',
      repository: 'acme/shop',
      message: 'Rollback triggered. Reason: Ledger invariant breach. Restoration in progress.',
      runUrl: 'https://github.com/acme/shop/actions/runs/4242424242',
    })
    const report = await readFile(path.join(cwd, 'cutover-reports', 'notify.json'), 'utf8')
    expect((await readdir(path.join(cwd, 'cutover-reports'))).sort()).toEqual(['ledger.jsonl', 'notify.json'])
    // The runner hides registered secrets from the log; the registration itself is the one place the URL appears.
    expect(run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message)).toContain(hook.url)
    for (const text of [withoutMasks(run.stdout), run.stderr, run.summary, JSON.stringify(run.outputs), report]) {
      expect(text).not.toContain(SECRET_PATH)
      expect(text).not.toContain(TOKEN)
    }
    expect(run.summary).toContain('Alerts configured')
  })

  it('a dead webhook warns without failing the step', async () => {
    const hook = await receiver((_q, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no_service'))
    const run = await runAction('notify', { inputs: { 'webhook-url': hook.url, event: 'start', 'check-run': 'false', language: 'tr' } })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('warn')
    expect(run.outputs.summary).toContain('answered HTTP 404 to the start notification (answer: "no_service")')
    expect(run.commands.some((c) => c.command === 'warning' && c.message.includes('HTTP 404'))).toBe(true)
    expect(withoutMasks(run.stdout)).not.toContain(TOKEN)
  })
})

/** stdout without the `::add-mask::` commands that register secrets with the runner. */
function withoutMasks(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
}
