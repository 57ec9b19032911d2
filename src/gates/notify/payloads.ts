/**
 * One notification, three wire formats: a Slack incoming-webhook message (Block Kit), a Microsoft
 * Teams Adaptive Card for a Workflows "post to a channel when a webhook request is received"
 * trigger, and plain JSON for anything else. Texts are cut to each format's limits so that a long
 * list of checkpoints never makes the webhook refuse the whole message.
 */
import type { Status } from '../../core/result.js'
import { cutBytes, utf8Bytes } from '../../lib/fit.js'
import { statusWord, type Notification, type NotifyEvent, type NotifyStatus } from './messages.js'

export const FORMATS = ['slack', 'teams', 'json'] as const
export type Format = (typeof FORMATS)[number]

/**
 * Slack's documented limits: header text 150 characters
 * (https://docs.slack.dev/reference/block-kit/blocks/header-block), section text 3,000 and at
 * most 10 fields of 2,000 each (https://docs.slack.dev/reference/block-kit/blocks/section-block),
 * at most 50 blocks in a message (https://docs.slack.dev/reference/block-kit/blocks), and the
 * top-level `text` kept to 4,000 (Slack truncates at 40,000:
 * https://api.slack.com/changelog/2018-04-truncating-really-long-messages; 4,000 is the
 * chat.postMessage best practice).
 */
export const SLACK_LIMITS = { header: 150, section: 3000, field: 2000, fields: 10, blocks: 50, text: 4000 }
/** Checkpoint lines shown in a Teams card before `… and N more`: a card stays readable. */
export const TEAMS_MAX_LINES = 40
/**
 * A Teams message is refused over about 28 KB ("Request Entity too large":
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook,
 * https://learn.microsoft.com/en-us/connectors/teams/#known-issues-and-limitations-with-actions).
 * The whole JSON body is kept under 27,000 bytes: "about" leaves room, and the limit counts
 * what Teams wraps around the card.
 */
export const TEAMS_MAX_BYTES = 27_000

const EVENT_EMOJI: Record<NotifyEvent, string> = {
  start: '🚀',
  checkpoint: '📋',
  phase: '📋',
  approved: '🟢',
  go: '✅',
  'no-go': '⛔',
  rollback: '⏪',
  'rollback-failed': '🚨',
  complete: '🏁',
}
const STATUS_EMOJI: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌' }

export function render(format: Format, n: Notification): unknown {
  return format === 'slack' ? slackPayload(n) : format === 'teams' ? teamsPayload(n) : jsonPayload(n)
}

// ---------------------------------------------------------------------------------------------
// Slack

/**
 * Slack treats &, < and > as control characters everywhere mrkdwn is read, the top-level `text`
 * included: outside a control sequence we write ourselves (`<url|label>`) they must be entities
 * (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** At most `max` characters (code points), `…` at the end when cut; never half of an entity `slackEscape` wrote. */
function cut(s: string, max: number): string {
  const chars = [...s]
  if (chars.length <= max) return s
  return (
    chars
      .slice(0, max - 1)
      .join('')
      .replace(/&(a|am|amp|l|lt|g|gt)?$/, '') + '…'
  )
}

/** A link Slack reads as one: the URL with its own control characters escaped, and no `|` or `>` to end it early. */
const slackLink = (url: string, label: string) => `<${slackEscape(url).replace(/\|/g, '%7C')}|${slackEscape(label)}>`

/** As many whole lines as fit in `max` characters, then `… and N more`. */
export function fitLines(lines: string[], max: number, more: (n: number) => string): string {
  const out: string[] = []
  let used = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const tail = i < lines.length - 1 ? more(lines.length - i - 1).length + 1 : 0
    if (used + line.length + 1 + tail > max) {
      out.push(more(lines.length - i))
      return cut(out.join('\n'), max)
    }
    out.push(line)
    used += line.length + 1
  }
  return out.join('\n')
}

const shortSha = (sha?: string) => (sha ? sha.slice(0, 12) : '-')

export function slackPayload(n: Notification) {
  const l = n.labels
  const checkpointLines = n.checkpoints.map((c, i) => `${STATUS_EMOJI[c.status]} ${slackEscape(n.lines[i])}`)
  const fields = [
    [l.repository, n.repository ? slackEscape(n.repository) : '-'],
    [l.commit, n.sha ? `\`${shortSha(n.sha)}\`` : '-'],
    [l.status, statusWord(n.status, n.language)],
    [l.event, n.event],
  ].map(([k, v]) => ({ type: 'mrkdwn', text: cut(`*${k}*\n${v}`, SLACK_LIMITS.field) }))
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`${EVENT_EMOJI[n.event]} ${n.title}`, SLACK_LIMITS.header), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(slackEscape(n.text), SLACK_LIMITS.section) } },
  ]
  if (checkpointLines.length)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitLines(checkpointLines, SLACK_LIMITS.section, l.more) } })
  blocks.push({ type: 'section', fields })
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: n.runUrl ? `${slackLink(n.runUrl, l.viewRun)} · Cutover Gates` : 'Cutover Gates' }],
  })
  // The fallback shows in notifications, screen readers and clients without Block Kit: Slack parses it too.
  const text = [`${n.title}: ${n.text}`, ...n.lines].map(slackEscape).join('\n')
  return { text: cut(text, SLACK_LIMITS.text), blocks }
}

// ---------------------------------------------------------------------------------------------
// Microsoft Teams (Workflows webhook)

const TEAMS_COLOR: Record<NotifyStatus, string> = { pass: 'Good', warn: 'Warning', fail: 'Attention', info: 'Accent' }

/**
 * The Adaptive Card, within TEAMS_MAX_BYTES: checkpoint lines give way first (`… and N more`),
 * then the message is cut (ending in `…`); the run's link stays, as it leads to everything.
 */
export function teamsPayload(n: Notification, maxBytes = TEAMS_MAX_BYTES) {
  const size = (p: unknown) => utf8Bytes(JSON.stringify(p))
  const all = n.checkpoints.length
  let lo = 0
  let hi = Math.min(TEAMS_MAX_LINES, all)
  // The most lines that fit, by halving: a card of 40 lines is built a handful of times, not 40.
  if (size(teamsCard(n, hi, n.text)) > maxBytes) {
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (size(teamsCard(n, mid, n.text)) <= maxBytes) lo = mid
      else hi = mid - 1
    }
  } else lo = hi
  let card = teamsCard(n, lo, n.text)
  let text = n.text
  for (let over = size(card) - maxBytes; over > 0 && text !== ''; over = size(card) - maxBytes) {
    // JSON may spend up to 6 bytes on one character (\u0001), so the cut is checked again until it fits.
    text = cutBytes(text, Math.max(0, utf8Bytes(text) - over - 3 - Math.ceil(over / 4))).trimEnd()
    card = teamsCard(n, lo, text ? `${text}…` : '…')
    if (text === '') break
  }
  return card
}

function teamsCard(n: Notification, lines: number, text: string) {
  const l = n.labels
  const shown = n.checkpoints.slice(0, lines)
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: `${EVENT_EMOJI[n.event]} ${n.title}`,
      size: 'Large',
      weight: 'Bolder',
      color: TEAMS_COLOR[n.status],
      wrap: true,
    },
    { type: 'TextBlock', text, wrap: true },
    ...shown.map((c, i) => ({ type: 'TextBlock', text: `${STATUS_EMOJI[c.status]} ${n.lines[i]}`, wrap: true, spacing: 'Small' })),
  ]
  if (n.checkpoints.length > shown.length)
    body.push({ type: 'TextBlock', text: l.more(n.checkpoints.length - shown.length), wrap: true, isSubtle: true })
  body.push({
    type: 'FactSet',
    facts: [
      { title: l.repository, value: cut(n.repository ?? '-', 200) },
      { title: l.commit, value: shortSha(n.sha) },
      { title: l.status, value: statusWord(n.status, n.language) },
      { title: l.event, value: n.event },
    ],
  })
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(n.runUrl ? { actions: [{ type: 'Action.OpenUrl', title: l.viewRun, url: n.runUrl }] } : {}),
        },
      },
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// Plain JSON

export interface JsonPayload {
  event: NotifyEvent
  status: NotifyStatus
  repository: string | null
  sha: string | null
  runUrl: string | null
  checkpoints: { id: string; status: Status; summary: string }[]
  message: string
  language: string
}

export function jsonPayload(n: Notification): JsonPayload {
  return {
    event: n.event,
    status: n.status,
    repository: n.repository ?? null,
    sha: n.sha ?? null,
    runUrl: n.runUrl ?? null,
    checkpoints: n.checkpoints.map((c) => ({ id: c.id, status: c.status, summary: c.summary })),
    message: n.text,
    language: n.language,
  }
}
