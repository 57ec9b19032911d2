/** The inputs of notify, each with its description, default and form. */
import type { ActionMeta } from '../../core/gate.js'
import { commonInputs, input, rules } from '../../core/inputs.js'
import { boundedDuration } from '../../core/units.js'
import { EVENTS } from './messages.js'
import { FORMATS } from './payloads.js'
import { WEBHOOK_FORM, parseWebhookUrl, webhookSecrets } from './webhook.js'

export const TIMEOUT_FORM = 'a duration above zero and at most 5m, such as 300ms, 10s or 1m'
const MAX_TIMEOUT = 5 * 60_000

const parseTimeout = boundedDuration(1, MAX_TIMEOUT, TIMEOUT_FORM)

export const notifyInputs = {
  'webhook-url': input.custom(
    'string',
    WEBHOOK_FORM,
    parseWebhookUrl,
  )(
    'The incoming webhook to post to (Slack incoming webhook, Teams Workflows webhook, or any JSON endpoint); `https://`, or `http://` for localhost only. A credential: pass it from a secret; it is masked everywhere.',
    { required: true, secret: webhookSecrets },
  ),
  format: input.oneOf(FORMATS)('The payload: `slack` (Block Kit), `teams` (Adaptive Card for a Workflows webhook) or `json`.', {
    default: 'slack',
  }),
  event: input.oneOf(EVENTS)(
    'What to announce: `start`, `checkpoint` (PASS/FAIL lines from `reports`), `phase` (the phase named in `message` with the verdict of `reports`, such as "Pre-flight PASS"), `approved` ("GO to start the cutover"), `go`, `no-go`, `rollback` (reason in `message`), `rollback-failed` (reason in `message`) or `complete`.',
    { default: 'checkpoint' },
  ),
  reports: input.string(
    'Folder of gate reports (`<id>.json`, the gates\' `report-dir`) to summarise as checkpoint lines such as "canary FAIL". A `go`, `approved` or `complete` announcement is not sent unless the decision rule says GO over them.',
  ),
  message: input.string('Free text: the rollback reason for `event: rollback`, otherwise a note added after the message.'),
  timeout: input.custom(
    'string',
    TIMEOUT_FORM,
    parseTimeout,
  )('Time limit for the webhook to answer, such as 10s. A webhook that fails or times out is a `warn`.', { default: '10s' }),
  'allow-warn': input.boolean(
    'Let a warning in `reports` count as GO for a `go`, `approved` or `complete` announcement, as decide would. Default: `decide.allow-warn` of `config`, else `false` (a warning blocks the announcement).',
  ),
  config: input.string('A `cutover.yml` whose `decide:` block sets `allow-warn`, so the announcement follows the rule decide applies.'),
  // The same input as the summary's: one language for what the team reads in GitHub and in chat.
  language: commonInputs.language,
}

const r = rules(notifyInputs)

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const notifyAction = {
  title: 'Notifications',
  description:
    'Broadcast cutover checkpoints (start, PASS/FAIL lines, GO-LIVE, rollback with reason) to Slack, Microsoft Teams or a JSON webhook, in English or Turkish.',
  branding: { icon: 'bell', color: 'green' },
  rules: [
    r.whenEquals('event', 'checkpoint', { anyOf: ['reports', 'message'] }),
    r.whenEquals('event', 'phase', { allOf: ['reports', 'message'] }),
  ],
  example: {
    'webhook-url': '${{ secrets.SLACK_WEBHOOK_URL }}',
    event: 'checkpoint',
    reports: 'cutover-reports',
  },
} satisfies ActionMeta
