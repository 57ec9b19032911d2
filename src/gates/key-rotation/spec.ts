/** The inputs of key-rotation, each with its description, default and form. */
import type { ActionMeta } from '../../core/gate.js'
import { input, rules } from '../../core/inputs.js'
import { DURATION_FORM, boundedDuration, InputFormError } from '../../core/units.js'
import { INSTANT_FORM, MAX_SPAN_MS, MAX_SPAN_TEXT, parseInstant } from './dates.js'
import { GITHUB_SECRETS_FORM, parseSecretScopes } from './github-secrets.js'
import { ENDPOINT_FORM, parseEndpoints } from './tls.js'

const HOUR = 3_600_000
export const TIMEOUT_FORM = 'a duration above zero and at most 5m, such as 10s'

const parseTimeout = boundedDuration(1, HOUR / 12, TIMEOUT_FORM)

/** Spans added to dates: bounded, so an expiry stays an instant a Date can hold. */
export const SPAN_FORM = `${DURATION_FORM}, at most ${MAX_SPAN_TEXT}`
const span = input.custom('string', SPAN_FORM, boundedDuration(0, MAX_SPAN_MS, SPAN_FORM))

function parseAsOf(raw: string): Date {
  const d = parseInstant(raw)
  if (!d) throw new InputFormError(raw, INSTANT_FORM)
  return d
}

export const keyRotationInputs = {
  certificates: input.list(
    'PEM certificate files or bundles, as paths or globs relative to the workspace, one per line (such as certs/*.pem); every certificate of each file is checked.',
  ),
  endpoints: input.custom(
    'list',
    ENDPOINT_FORM,
    parseEndpoints,
  )(
    'Live TLS services `host:port` (or `[::1]:443`), one per line; the whole chain each presents (with SNI) is checked. `host:port via <address>` connects to another address, e.g. a new load balancer before DNS moves.',
  ),
  'trusted-ca': input.list(
    'PEM files (paths or globs) of CA certificates trusted for `endpoints` besides the public roots, for services behind a private CA.',
  ),
  timeout: input.custom(
    'string',
    TIMEOUT_FORM,
    parseTimeout,
  )('Time limit for each endpoint’s connection and TLS handshake.', { default: '10s' }),
  inventory: input.list(
    'Key inventory files (YAML or JSON; paths or globs): a list of keys, each with `name`, one of `expires`, `created` + `max-age` or `rotated` + `rotate-every`, and optionally `owner`.',
  ),
  'github-secrets': input.custom(
    'list',
    GITHUB_SECRETS_FORM,
    parseSecretScopes,
  )(
    'GitHub Actions secrets whose age to check: `none`, `repository` or `environment:<name>`. Listing secrets needs a token with `Secrets: read` (pass it as `github-token`); the default GITHUB_TOKEN cannot.',
    { default: 'none' },
  ),
  'max-secret-age': span('The longest a GitHub secret may go without being updated, such as 90d.', { default: '90d' }),
  'warn-within': span('Warn when an item expires within this long of `as-of`.', { default: '30d' }),
  'fail-within': span('Fail when an item expires within this long of `as-of` (or has expired).', { default: '7d' }),
  'as-of': input.custom(
    'string',
    INSTANT_FORM,
    parseAsOf,
  )(
    'Judge expiry as of this date or instant instead of now, such as the cutover date: `2026-12-01` (midnight UTC) or `2026-12-01T18:00:00Z`.',
  ),
}

export const keyRotationOutputs = {
  'next-expiry': 'The soonest expiry among the checked items (ISO 8601), empty when none was read.',
  'min-days-left': 'Days left until that expiry as of `as-of` (negative once expired), empty when none was read.',
}

const r = rules(keyRotationInputs)

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const keyRotationAction = {
  title: 'Keys and certificates',
  description:
    'Fail the cutover when a certificate (PEM bundles or live TLS chains), an inventoried key or a GitHub secret expires or grows too old around the cutover date.',
  branding: { icon: 'lock', color: 'orange' },
  rules: [r.atLeastOne('certificates', 'endpoints', 'inventory', 'github-secrets'), r.needs('trusted-ca', 'endpoints')],
  example: {
    certificates: 'certs/*.pem',
    endpoints: 'api.example.com:443',
    'warn-within': '30d',
    'fail-within': '7d',
  },
} satisfies ActionMeta
