/**
 * One notification, three wire formats: a Slack incoming-webhook message (Block Kit), a Microsoft
 * Teams Adaptive Card for a Workflows "post to a channel when a webhook request is received"
 * trigger, and plain JSON for anything else. Texts are cut to each format's limits so that a long
 * list of checkpoints never makes the webhook refuse the whole message.
 */
import type { Status } from '../../core/result.js'
import { statusWord, type Notification, type NotifyEvent, type NotifyStatus } from './messages.js'

export const FORMATS = ['slack', 'teams', 'json'] as const
export type Format = (typeof FORMATS)[number]

/** Slack's documented limits: header text 150, section text 3000, 10 fields of 2000 each. */
export const SLACK_LIMITS = { header: 150, section: 3000, field: 2000 }
/** Checkpoint lines shown in a Teams card before `… and N more`: a card stays readable and under Teams' 28 KB. */
export const TEAMS_MAX_LINES = 40

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

/** Slack mrkdwn treats &, < and > as control characters. */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function cut(s: string, max: number): string {
  const chars = [...s]
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…'
}

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
    elements: [{ type: 'mrkdwn', text: n.runUrl ? `<${n.runUrl}|${l.viewRun}> · Cutover Gates` : 'Cutover Gates' }],
  })
  // The fallback shows in notifications and on clients without Block Kit.
  const text = [`${n.title}: ${n.text}`, ...n.lines].join('\n')
  return { text: cut(text, 4000), blocks }
}

// ---------------------------------------------------------------------------------------------
// Microsoft Teams (Workflows webhook)

const TEAMS_COLOR: Record<NotifyStatus, string> = { pass: 'Good', warn: 'Warning', fail: 'Attention', info: 'Accent' }

export function teamsPayload(n: Notification) {
  const l = n.labels
  const shown = n.checkpoints.slice(0, TEAMS_MAX_LINES)
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: `${EVENT_EMOJI[n.event]} ${n.title}`,
      size: 'Large',
      weight: 'Bolder',
      color: TEAMS_COLOR[n.status],
      wrap: true,
    },
    { type: 'TextBlock', text: n.text, wrap: true },
    ...shown.map((c, i) => ({ type: 'TextBlock', text: `${STATUS_EMOJI[c.status]} ${n.lines[i]}`, wrap: true, spacing: 'Small' })),
  ]
  if (n.checkpoints.length > shown.length)
    body.push({ type: 'TextBlock', text: l.more(n.checkpoints.length - shown.length), wrap: true, isSubtle: true })
  body.push({
    type: 'FactSet',
    facts: [
      { title: l.repository, value: n.repository ?? '-' },
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
