// notify against receivers that refuse what Slack and Teams refuse: Slack's control characters
// (&, <, >) escaped in the fallback `text` and in every mrkdwn text
// (https://api.slack.com/reference/surfaces/formatting#escaping), Block Kit's limits held, and a
// Teams card shortened under the ~28 KB Teams refuses with "Request Entity too large".
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { writeReport } from '../../../src/core/report.js'
import type { GateResult, Status } from '../../../src/core/result.js'
import { notify } from '../../../src/gates/notify/gate.js'
import { buildNotification, EVENTS } from '../../../src/gates/notify/messages.js'
import { SLACK_LIMITS, slackPayload, TEAMS_MAX_BYTES, teamsPayload } from '../../../src/gates/notify/payloads.js'

const MESSAGE = 'payout failure rate 18% > 15% & <rising>'
const ESCAPED = 'payout failure rate 18% &gt; 15% &amp; &lt;rising&gt;'
/** What Teams documents: "about 28 KB"; the receiver refuses anything over 28,000 bytes. */
const TEAMS_REFUSES_OVER = 28_000

interface Received {
  body: unknown
  bytes: number
}
const servers: Server[] = []
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

/** A webhook that answers as `judge` says of the body it got. */
async function receiver(judge: (raw: Buffer) => { status: number; text: string }) {
  const received: Received[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      received.push({ body: JSON.parse(raw.toString('utf8')), bytes: raw.byteLength })
      const { status, text } = judge(raw)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/webhook/T0/B0/secret0123456789`, received }
}

const teamsLike = () =>
  receiver((raw) => (raw.byteLength > TEAMS_REFUSES_OVER ? { status: 413, text: 'Request Entity too large' } : { status: 202, text: '' }))

// ---------------------------------------------------------------------------------------------
// What Slack would say of a payload: each documented limit, and raw control characters.

interface SlackText {
  type: string
  text: string
}
interface SlackBlock {
  type: string
  text?: SlackText
  fields?: SlackText[]
  elements?: SlackText[]
}

/** Every mrkdwn text of a Slack payload, the fallback `text` first. */
function mrkdwnTexts(p: { text: string; blocks: unknown[] }): string[] {
  const out = [p.text]
  for (const b of p.blocks as SlackBlock[]) {
    for (const t of [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]) if (t && t.type === 'mrkdwn') out.push(t.text)
  }
  return out
}

/** Raw &, < or > outside the control sequences we write (`<https://…|label>`): what Slack would misread. */
function rawControl(text: string): string | undefined {
  const outside = text.replace(/<https?:\/\/[^<>|\s]+\|[^<>]*>/g, '')
  return /[<>]/.exec(outside)?.[0] ?? /&(?!(amp|lt|gt);)/.exec(outside)?.[0]
}

function slackProblems(p: { text: string; blocks: unknown[] }): string[] {
  const problems: string[] = []
  const len = (s: string) => [...s].length
  const blocks = p.blocks as SlackBlock[]
  if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks`)
  if (len(p.text) > SLACK_LIMITS.text) problems.push(`fallback text of ${len(p.text)}`)
  for (const b of blocks) {
    if (b.type === 'header' && len(b.text!.text) > 150) problems.push(`header of ${len(b.text!.text)}`)
    if (b.type === 'section' && b.text && len(b.text.text) > 3000) problems.push(`section of ${len(b.text.text)}`)
    if (b.fields && b.fields.length > 10) problems.push(`${b.fields.length} fields`)
    for (const f of b.fields ?? []) if (len(f.text) > 2000) problems.push(`field of ${len(f.text)}`)
  }
  for (const t of mrkdwnTexts(p)) {
    const raw = rawControl(t)
    if (raw) problems.push(`raw ${JSON.stringify(raw)} in ${JSON.stringify(t.slice(0, 80))}`)
  }
  return problems
}

const slackLike = () =>
  receiver((raw) => {
    const problems = slackProblems(JSON.parse(raw.toString('utf8')))
    return problems.length ? { status: 400, text: `invalid_blocks: ${problems.join('; ')}` } : { status: 200, text: 'ok' }
  })

// ---------------------------------------------------------------------------------------------

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'notify-limits-'))
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

async function gate(inputs: Record<string, string>) {
  const ctx = defaultContext({ log: () => {}, env: ENV, cwd: scratch, workspace: scratch })
  return runGate(notify, inputs, ctx, { id: 'notify' })
}

async function reports(n: number, status: Status = 'pass'): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, 'reports-'))
  for (let i = 0; i < n; i++) {
    const started = new Date(Date.UTC(2025, 5, 1, 11, 0, i)).toISOString()
    const result: GateResult = {
      id: `gate-${String(i).padStart(3, '0')}-with-a-long-name`,
      gate: 'smoke',
      status,
      summary: 'ok',
      checks: [],
      metrics: {},
      startedAt: started,
      finishedAt: started,
      durationMs: 0,
    }
    await writeReport(dir, result, { repository: 'acme/shop', sha: SHA, runId: '4242' })
  }
  return path.relative(scratch, dir)
}

describe('Slack: &, < and > escaped everywhere Slack parses them', () => {
  it.each(['go', 'rollback', 'checkpoint', 'phase'] as const)(
    'the %s message holding all three: the fallback text and every mrkdwn text carry entities, the link stays a link',
    async (event) => {
      const hook = await slackLike()
      const dir = await reports(2)
      const r = await gate({ 'webhook-url': hook.url, event, message: MESSAGE, reports: dir })
      expect(r.status, r.summary).toBe('pass')
      const body = hook.received[0].body as { text: string; blocks: SlackBlock[] }
      expect(slackProblems(body)).toEqual([])
      expect(body.text).toContain(ESCAPED)
      expect(body.text).not.toContain(MESSAGE)
      expect(body.blocks[1].text!.text).toContain(ESCAPED)
      // The one control sequence we write ourselves is still read as a link.
      expect(body.blocks.at(-1)!.elements![0].text).toBe('<https://github.com/acme/shop/actions/runs/4242|View run> · Cutover Gates')
    },
  )

  it('a mention or a link typed into the message is shown as text, not sent as @channel', async () => {
    const hook = await slackLike()
    await gate({ 'webhook-url': hook.url, event: 'go', message: '<!channel> see <https://evil.example|the runbook>' })
    const body = hook.received[0].body as { text: string; blocks: SlackBlock[] }
    expect(body.text).toContain('&lt;!channel&gt; see &lt;https://evil.example|the runbook&gt;')
    expect(slackProblems(body)).toEqual([])
  })

  it('the run link stays one link whatever the server URL holds (&, >, |)', () => {
    const runUrl = 'https://ghe.example/a&b/actions/runs/1?x=<y>|z'
    const p = slackPayload(buildNotification({ event: 'go', language: 'en', checkpoints: [], runUrl }))
    const context = (p.blocks.at(-1) as SlackBlock).elements![0].text
    expect(context).toBe('<https://ghe.example/a&amp;b/actions/runs/1?x=&lt;y&gt;%7Cz|View run> · Cutover Gates')
    expect(slackProblems(p)).toEqual([])
  })

  it('a message cut to the section limit never ends in half an entity', () => {
    for (const filler of ['&', '<', '>', 'a&']) {
      const n = buildNotification({ event: 'go', language: 'en', message: filler.repeat(5_000), checkpoints: [] })
      const p = slackPayload(n)
      expect(slackProblems(p)).toEqual([])
      for (const t of mrkdwnTexts(p)) expect(t).not.toMatch(/&(a|am|amp|l|lt|g|gt)?…/)
    }
  })

  it('any message and any report ids: every documented Block Kit limit held and no raw control character', () => {
    const status = fc.constantFrom<Status>('pass', 'warn', 'fail')
    const text = fc.string({ unit: fc.constantFrom('&', '<', '>', 'a', '–', '😀', ' ', '|', '\n'), maxLength: 6_000 })
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.constantFrom('en' as const, 'tr' as const),
        text,
        fc.array(
          fc.record({
            id: fc.string({ unit: fc.constantFrom('&', '<', '>', 'x', '–'), minLength: 1, maxLength: 80 }),
            status,
            summary: fc.string(),
          }),
          {
            maxLength: 400,
          },
        ),
        (event, language, message, checkpoints) => {
          const n = buildNotification({
            event,
            language,
            message,
            checkpoints,
            repository: 'acme/<&>',
            runUrl: 'https://github.com/a/b/actions/runs/1',
          })
          expect(slackProblems(slackPayload(n))).toEqual([])
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('Teams: a card under the ~28 KB Teams accepts', () => {
  it('a long message and 300 checkpoints are shortened with a note, and Teams takes the card', async () => {
    const hook = await teamsLike()
    const dir = await reports(300)
    const message = `${MESSAGE} ${'rollback step – ledger · '.repeat(2_000)}`
    const r = await gate({ 'webhook-url': hook.url, format: 'teams', event: 'go', message, reports: dir })
    expect(r.status, r.summary).toBe('pass')
    expect(r.outputs['http-status']).toBe('202')
    const got = hook.received[0]
    expect(got.bytes).toBeLessThanOrEqual(TEAMS_MAX_BYTES)
    const body = (got.body as { attachments: { content: { body: { text?: string }[]; actions: unknown[] } }[] }).attachments[0].content
    const texts = body.body.map((b) => b.text ?? '')
    expect(texts[1].startsWith(`GO decision made. System live. Hypercare started. ${MESSAGE}`)).toBe(true)
    expect(texts[1].endsWith('…')).toBe(true)
    // Every checkpoint is accounted for: shown, or counted in the note.
    const shown = texts.filter((t) => /^✅ gate-\d{3}/.test(t)).length
    expect(texts).toContain(`… and ${300 - shown} more`)
    expect(body.actions).toEqual([{ type: 'Action.OpenUrl', title: 'View run', url: 'https://github.com/acme/shop/actions/runs/4242' }])
  })

  it('at the limit: a card of exactly TEAMS_MAX_BYTES is sent whole, one byte more is shortened to fit', () => {
    const base = buildNotification({ event: 'go', language: 'en', message: 'x', checkpoints: [] })
    const bytesOf = (p: unknown) => Buffer.byteLength(JSON.stringify(p), 'utf8')
    const pad = TEAMS_MAX_BYTES - bytesOf(teamsPayload({ ...base, text: '' }))
    const exact = { ...base, text: 'a'.repeat(pad) }
    expect(bytesOf(teamsPayload(exact))).toBe(TEAMS_MAX_BYTES)
    expect((teamsPayload(exact).attachments[0].content.body[1] as { text: string }).text).toBe(exact.text)
    const over = { ...base, text: 'a'.repeat(pad + 1) }
    const cut = teamsPayload(over)
    expect(bytesOf(cut)).toBeLessThanOrEqual(TEAMS_MAX_BYTES)
    expect((cut.attachments[0].content.body[1] as { text: string }).text).toMatch(/^a+…$/)
  })

  it('any message (3-byte characters, characters JSON escapes as \\u0001) and any number of checkpoints stays within the limit', () => {
    const status = fc.constantFrom<Status>('pass', 'warn', 'fail')
    fc.assert(
      fc.property(
        // A short random piece repeated up to thousands of times: cards far over the limit, not only small ones.
        fc
          .tuple(
            fc.string({ unit: fc.constantFrom('–', '"', '\u0001', 'a', '😀', '\\'), minLength: 1, maxLength: 12 }),
            fc.integer({ min: 0, max: 4_000 }),
          )
          .map(([piece, k]) => piece.repeat(k)),
        fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 200 }), status, summary: fc.constant('') }), { maxLength: 300 }),
        fc.integer({ min: 2_000, max: TEAMS_MAX_BYTES }),
        (message, checkpoints, max) => {
          const n = buildNotification({ event: 'checkpoint', language: 'en', message, checkpoints })
          const card = teamsPayload(n, max)
          expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThanOrEqual(max)
        },
      ),
      { numRuns: 100 },
    )
  })
})
