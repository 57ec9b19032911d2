/**
 * notify: broadcasts a cutover checkpoint to Slack, Microsoft Teams or a JSON webhook, with the
 * communication plan's messages (src/gates/notify/messages.ts) in English or Turkish.
 *
 * A broadcast is a courtesy, not a control: a webhook that refuses, fails or times out is a
 * `warn`, so a dead chat channel never blocks a rollback. What it must not do is lie, so a GO or
 * completion announcement is not sent while a gate report it summarises failed or is unusable.
 * The webhook URL is a credential: sentences name only its host, and everything the gate returns
 * passes through a redactor built from it.
 */
import path from 'node:path'
import { defineGate, type GateContext } from '../../core/gate.js'
import { resolveDecision } from '../../core/config.js'
import { InputError } from '../../core/inputs.js'
import { admits, verdict } from '../../core/verdict.js'
import { check, type Check } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { buildNotification, statusWord, type Checkpoint, type Notification } from './messages.js'
import { render } from './payloads.js'
import { readCheckpoints } from './reports.js'
import { describeDelivery, describeWebhook, postJson, type Delivery } from './webhook.js'
import { cell } from '../../lib/markdown.js'
import { notifyInputs, notifyAction } from './spec.js'

export { notifyInputs } from './spec.js'

export const notify = defineGate({
  name: 'notify',
  category: 'Ops',
  criteria: { en: 'Alerts configured', tr: 'Alarmlar yapılandırıldı' },
  ...notifyAction,
  inputs: notifyInputs,
  outputs: {
    delivered: '`true` when the webhook accepted the notification (HTTP 2xx), else `false`.',
    'http-status': 'The HTTP status the webhook answered; empty when it did not answer or nothing was sent.',
  },
  async run(s, ctx) {
    const url = s['webhook-url']
    const target = describeWebhook(s.format, url)
    const event = s.event
    const message = s.message
    if (event === 'checkpoint' && !s.reports && !message) {
      throw new InputError(['`event: checkpoint` needs `reports` (a folder of gate reports to summarise) or `message`; neither was given'])
    }
    // A phase's word is computed from its reports, so both the name and the reports must be given.
    if (event === 'phase' && (!s.reports || !message)) {
      throw new InputError([
        `\`event: phase\` needs \`message\` (the phase, such as "Pre-flight") and \`reports\` (its gate reports, whose verdict the message carries); ${!s.reports && !message ? 'neither was given' : !s.reports ? '`reports` was not given' : '`message` was not given'}`,
      ])
    }

    const checks: Check[] = []
    const sha = ctx.github?.sha ?? ctx.env.GITHUB_SHA
    let checkpoints: Checkpoint[] = []
    let problems: string[] = []
    if (s.reports) {
      const read = await readCheckpoints(ctx.fs, path.resolve(ctx.cwd, s.reports), s.reports, sha)
      checkpoints = read.checkpoints
      problems = read.problems
      const location = { path: relativeTo(ctx.workspace, path.resolve(ctx.cwd, s.reports)) }
      checks.push(
        problems.length
          ? check(
              'fail',
              'reports',
              `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${read.files} file${read.files === 1 ? '' : 's'}`,
              'readable gate reports of this commit',
              problems.join(' '),
              location,
            )
          : check(
              'pass',
              'reports',
              `${checkpoints.length} report${checkpoints.length === 1 ? '' : 's'}`,
              'readable gate reports of this commit',
              `Read ${checkpoints.length} gate report${checkpoints.length === 1 ? '' : 's'} from ${s.reports}.`,
              location,
            ),
      )
    }

    const notification = buildNotification({
      event,
      language: s.language,
      checkpoints,
      ...(message ? { message } : {}),
      ...(ctx.env.GITHUB_REPOSITORY ? { repository: ctx.env.GITHUB_REPOSITORY } : {}),
      ...(sha ? { sha } : {}),
      ...(runUrl(ctx) ? { runUrl: runUrl(ctx) } : {}),
    })

    if ((event === 'rollback' || event === 'rollback-failed') && !message) {
      checks.push(
        check(
          'warn',
          'message',
          'no reason given',
          `the ${event === 'rollback' ? 'rollback' : 'rollback failure'} reason in \`message\``,
          event === 'rollback'
            ? 'The rollback was announced without a reason ("Reason: not given"); pass the trigger (e.g. "payout failure rate 18% > 15%") in `message`.'
            : 'The failed rollback was announced without a reason ("Reason: not given"); pass what failed (e.g. "the rollback command exited 1") in `message`.',
        ),
      )
    }

    // Never announce success the one rule would not call GO: a failing, unusable or (without allow-warn) warning report.
    const announcesGo = event === 'go' || event === 'approved' || event === 'complete'
    let blocking = false
    if (announcesGo && (s.reports || s.config)) {
      const { settings, problem } = await resolveDecision({ config: s.config, allowWarn: s['allow-warn'] }, ctx.cwd)
      const v = verdict(
        checkpoints.map((c) => c.status),
        settings,
      )
      const refused = checkpoints.filter((c) => !admits(c.status, settings))
      const why: [string, string] | undefined = problem
        ? ['unreadable decision settings', `the decision settings could not be read (${problem})`]
        : problems.length
          ? ['unusable reports', 'the reports could not be read']
          : checkpoints.length === 0
            ? ['no reports', 'no report was read']
            : v.decision === 'NO-GO'
              ? [
                  refused.map((c) => `${c.id} ${c.status.toUpperCase()}`).join(', '),
                  refused.map((c) => (c.status === 'fail' ? `${c.id} failed` : `${c.id} warned and \`allow-warn\` is not set`)).join(', '),
                ]
              : undefined
      if (why) {
        blocking = true
        checks.push(
          check(
            'fail',
            'announcement',
            `not sent: ${why[0]}`,
            `a GO by the decision rule before a ${event} announcement`,
            `The ${event} announcement was not sent to ${target}: ${why[1]}, so it is not a GO. Announce \`no-go\` or \`rollback\` instead, or fix the gate and run it again.`,
          ),
        )
      }
    }
    let delivery: Delivery | undefined
    if (!blocking) {
      ctx.log(`posting the ${event} notification (${s.format}, ${s.language}) to ${target}, timeout ${formatDuration(s.timeout)}`)
      const payload = render(s.format, notification)
      // What a chat shows is masked as a report is.
      delivery = await postJson(ctx, url, ctx.redact ? ctx.redact(payload) : payload, s.timeout)
      ctx.log(`${target}: ${describeDelivery(delivery, s.timeout)}`)
      checks.push(deliveryCheck(delivery, event, target, s.format, s.timeout))
    }

    const metrics: Record<string, number> = { checkpoints: checkpoints.length }
    if (delivery && 'status' in delivery) metrics.http_status = delivery.status
    if (delivery) metrics.latency_ms = delivery.ms
    const outputs = {
      delivered: String(delivery?.outcome === 'delivered'),
      'http-status': delivery && 'status' in delivery ? String(delivery.status) : '',
    }
    // runGate masks what the input specs register as secret (the webhook's path and query), here and in the log.
    return { checks, metrics, outputs, details: details(notification, s.format, target, delivery, s.timeout) }
  },
})

function runUrl(ctx: GateContext): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id, GITHUB_RUN_ATTEMPT: attempt } = ctx.env
  if (!server || !repo || !id) return undefined
  return `${server}/${repo}/actions/runs/${id}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`
}

function relativeTo(workspace: string, file: string): string {
  const rel = path.relative(workspace, file)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file
}

function deliveryCheck(d: Delivery, event: string, target: string, format: string, timeoutMs: number): Check {
  const expected = `HTTP 2xx within ${formatDuration(timeoutMs)}`
  const observed = describeDelivery(d, timeoutMs)
  const fallback = 'Post the update in the channel by hand, and fix the webhook before the next checkpoint.'
  switch (d.outcome) {
    case 'delivered':
      return check(
        'pass',
        'webhook',
        observed,
        expected,
        `Sent the ${event} notification to ${target}: HTTP ${d.status} in ${formatDuration(d.ms)}.`,
      )
    case 'refused': {
      const said = d.body ? ` (answer: "${d.body.slice(0, 200)}")` : ''
      const why =
        d.status >= 300 && d.status < 400
          ? 'a webhook does not redirect: check the URL.'
          : d.status === 404 || d.status === 410
            ? 'the webhook no longer exists, or its channel was archived: create a new one and update the secret.'
            : d.status === 400 || d.status === 422
              ? `the webhook refused the payload: check that it expects \`format: ${format}\`.`
              : d.status === 401 || d.status === 403
                ? 'the webhook refused the credential in its URL: it may have been revoked.'
                : 'the service may be down: try again.'
      return check(
        'warn',
        'webhook',
        observed,
        expected,
        `${cap(target)} answered HTTP ${d.status} to the ${event} notification${said}: it was not delivered; ${why} ${fallback}`,
      )
    }
    case 'timeout':
      return check(
        'warn',
        'webhook',
        observed,
        expected,
        `${cap(target)} did not answer the ${event} notification within ${formatDuration(timeoutMs)}: it may not have been delivered. ${fallback}`,
      )
    case 'cancelled':
      return check(
        'warn',
        'webhook',
        observed,
        expected,
        `The ${event} notification to ${target} was cancelled with the run: it may not have been delivered. ${fallback}`,
      )
    case 'error':
      return check(
        'warn',
        'webhook',
        observed,
        expected,
        `${cap(target)} could not be reached for the ${event} notification: ${d.cause}. ${fallback}`,
      )
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

function details(n: Notification, format: string, target: string, d: Delivery | undefined, timeoutMs: number): string {
  const sent = d
    ? `${d.outcome === 'delivered' ? 'delivered to' : 'not delivered to'} ${target}: ${describeDelivery(d, timeoutMs)}`
    : `not sent to ${target}`
  const out = [
    `**${n.title}** (${format}, ${n.language}, event \`${n.event}\`, announced as ${statusWord(n.status, n.language)}): ${sent}.`,
    '',
    `> ${n.text}`,
  ]
  if (n.checkpoints.length) {
    out.push(
      '',
      '| Checkpoint | Status | Summary |',
      '|---|---|---|',
      ...n.checkpoints.map((c, i) => `| ${cell(c.id)} | ${cell(n.lines[i].slice(c.id.length + 1))} | ${cell(c.summary) || '-'} |`),
    )
  }
  return out.join('\n')
}
