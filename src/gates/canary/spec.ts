/** The inputs of canary: where the evidence comes from, the windows, the thresholds and triggers, the anchoring of a step, and the watch. */
import type { ActionMeta } from '../../core/gate.js'
import { input, rules } from '../../core/inputs.js'
import { boundedDuration, InputFormError, parsePercent } from '../../core/units.js'
import { HTTP_URL_FORM, parseEndpoint, urlSecrets } from './http.js'
import { QUERIES_FORM, SELECTOR_FORM, parseQueries, parseSelector } from './prometheus.js'

// ---------------------------------------------------------------------------------------------
// Inputs

const SECOND = 1000
const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Prometheus answers at most 11,000 points per series; we stay well below. */
export const MAX_PROMETHEUS_WINDOWS = 1000

const SLO_FORM = 'a percentage above 0% and below 100%, such as 99.9%'
function parseSlo(raw: string): number {
  let v: number
  try {
    v = parsePercent(raw)
  } catch {
    throw new InputFormError(raw, SLO_FORM)
  }
  if (!(v > 0 && v < 1)) throw new InputFormError(raw, SLO_FORM)
  return v
}

const PROMETHEUS_URL_FORM = `${HTTP_URL_FORM} (user:password@ is sent as Basic authentication)`
const WINDOW_FORM = 'a duration from 1s to 1d, such as 5m'
const LOOKBACK_FORM = 'a duration from 1s to 30d, such as 30m'
const INTERVAL_FORM = 'a duration from 1s to 1h, such as 30s'
const MAX_AGE_FORM = 'a duration from 1s to 365d, such as 24h'
const HOLD_FORM = 'a duration from 0s to 1d, such as 30m'
const TIMEOUT_FORM = 'a duration from 100ms to 5m, such as 30s'
const INSTANT_FORM = 'an ISO 8601 instant with a time zone, such as 2026-03-02T12:00:00Z or 2026-03-02T13:00:00+01:00'

/** An ISO 8601 instant that names its time zone: a promotion time must not depend on the runner's. */
export function parseInstant(raw: string): number {
  const s = raw.trim()
  const m = /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)$/i.exec(s)
  const t = m ? Date.parse(s) : NaN
  // Date.parse rolls 2026-02-30 over into March: the calendar date must exist as written.
  const real = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDate() === +m[3]
  if (!m || !real || !Number.isFinite(t)) throw new InputFormError(raw, INSTANT_FORM)
  return t
}

const url = (form: string) => input.custom('string', form, (raw) => (parseEndpoint(raw, form), raw.trim()))
const selector = input.custom('string', SELECTOR_FORM, parseSelector)

export const canaryInputs = {
  source: input.string(
    'Canary evidence JSON: a file path (relative to the workspace) or an http(s) URL. Runbook shape `{"canary": {"windows": [{"pass": true, "burst": 0.8}]}}` or raw shape `{"windows": [{"start", "end", "canary": {"requests", "errors", "p99", "latencies"}, "baseline": {...}}]}` (latencies in ms). Windows with times must end within one `window` of now and must not repeat or overlap; runbook windows without times are dated by a `generated_at` (or `timestamp`, …) in the file, else by the file modification time or the Last-Modified header (see `max-age`). Give this or `prometheus-url`.',
    { secret: urlSecrets },
  ),
  'prometheus-url': url(PROMETHEUS_URL_FORM)(
    'Prometheus base URL, such as `http://prometheus:9090`; `user:password@` in it is sent as Basic authentication and treated as a secret. Give this or `source`.',
    { secret: urlSecrets },
  ),
  'canary-selector': selector('PromQL label matchers that select the canary, put into the queries as $selector.', {
    default: 'deployment="canary"',
  }),
  'baseline-selector': selector('PromQL label matchers that select the baseline, put into the queries as $selector.', {
    default: 'deployment="baseline"',
  }),
  queries: input.custom(
    'string',
    QUERIES_FORM,
    parseQueries,
  )(
    'YAML map replacing the default PromQL: `requests`, `errors`, `p99` (seconds), `p50` (seconds, for `record-baseline`), `buckets` (histogram by `le`, for the judge), written with $selector and $window.',
  ),
  window: input.custom(
    'string',
    WINDOW_FORM,
    boundedDuration(SECOND, DAY, WINDOW_FORM),
  )('Length of one window, such as 5m.', {
    default: '5m',
  }),
  lookback: input.custom(
    'string',
    LOOKBACK_FORM,
    boundedDuration(SECOND, 30 * DAY, LOOKBACK_FORM),
  )('How far back Prometheus is read, in whole windows ending now; triggers anywhere in it abort.', { default: '30m' }),
  'min-green-windows': input.integer(1, 1000)('Green windows in a row the gate needs, the newest ending now.', { default: '3' }),
  'min-requests': input.integer(1)('Requests a window needs on each side (canary and baseline) to be judged.', { default: '100' }),
  slo: input.custom(
    'string',
    SLO_FORM,
    parseSlo,
  )('Availability objective; the error budget is 1 − slo and burst is error rate ÷ budget.', {
    default: '99.9%',
  }),
  'max-burst': input.ratio('Highest burst (error rate ÷ error budget) of a green window; above it is an abort trigger.', {
    default: '1.5x',
  }),
  'max-p99-regression': input.percent('How far the canary p99 may exceed the baseline p99 in a green window.', { default: '10%' }),
  'max-error-rate': input.percent('Highest canary error rate (5xx ÷ requests) of a green window.', { default: '0.1%' }),
  'abort-p99-regression': input.percent('Abort trigger: canary p99 above the baseline p99 by more than this.', { default: '20%' }),
  'abort-error-rate': input.percent('Abort trigger: canary error rate above this.', { default: '0.5%' }),
  'max-age': input.custom(
    'string',
    MAX_AGE_FORM,
    boundedDuration(SECOND, 365 * DAY, MAX_AGE_FORM),
  )(
    'Oldest evidence accepted when its windows carry no start/end times (the runbook shape): its age is taken from a timestamp in it (`generated_at`, `timestamp`, …), else from the file modification time or the HTTP Last-Modified header; older is a fail, an age that cannot be established a warn. Windows with times must instead end within one `window` of now. Also the oldest `baseline-file` accepted.',
    { default: '24h' },
  ),
  'not-before': input.custom(
    'string',
    INSTANT_FORM,
    parseInstant,
  )(
    'The instant this step was promoted (ISO 8601, such as 2026-03-02T12:00:00Z): only windows that start at or after it are judged. Prometheus is not asked for anything earlier, and earlier evidence windows are left out and listed, so a step is never judged on the traffic of the step before. The reusable workflow sets it.',
  ),
  hold: input.custom(
    'string',
    HOLD_FORM,
    boundedDuration(0, DAY, HOLD_FORM),
  )(
    'Minimum time a step holds: the gate passes only once `hold` has passed since `not-before` (or since the gate started), with its `min-green-windows` green windows inside the hold. Needs `wait` of at least `hold`. The seed checklist holds 15m at 10%, 30m at 25% and 50%, and 60m at 100%.',
    { default: '0s' },
  ),
  'record-baseline': input.string(
    'Pre-flight: measure the baseline (p50, p99, error rate, request rate over the windows read, every one with at least `min-requests`) and write it to this file, with the window, time and selectors; its SHA-256 goes into the report. The canary is not judged in this mode. Pass the file as `baseline-file` at the later steps.',
  ),
  'baseline-file': input.string(
    'A baseline written by `record-baseline`. In a window where the live baseline has no traffic (none left at 100%, or gone quiet), the canary is judged against it and the absolute limits (`max-error-rate`, `slo`, …), and the report says so; never without canary data. A file that is missing, unreadable, older than `max-age` or for other selectors or queries is a fail.',
  ),
  timeout: input.custom(
    'string',
    TIMEOUT_FORM,
    boundedDuration(100, 5 * 60 * SECOND, TIMEOUT_FORM),
  )('Time allowed for each request to Prometheus or to the evidence URL.', { default: '30s' }),
  judge: input.oneOf(['none', 'mann-whitney'])(
    'Statistical judge: `none`, or `mann-whitney`: compare canary and baseline latency distributions (samples or histogram buckets) in the deciding windows and report effect size and confidence; a significant, non-negligible slowdown is a `warn`.',
    { default: 'none' },
  ),
  wait: input.duration(
    'Watch mode: keep evaluating up to this long until the gate can pass (and its `hold` is over) or a trigger fires; 0s evaluates once.',
    { default: '0s' },
  ),
  interval: input.custom(
    'string',
    INTERVAL_FORM,
    boundedDuration(SECOND, HOUR, INTERVAL_FORM),
  )('Watch mode: time between two evaluations; a trigger is seen within one interval of the data showing it.', { default: '30s' }),
}

const r = rules(canaryInputs)

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const canaryAction = {
  title: 'Canary health',
  description:
    'Judge canary health in windows against the baseline (burst, p99, error rate) from evidence JSON or Prometheus; abort triggers fail at once.',
  branding: { icon: 'trending-up', color: 'orange' },
  rules: [
    r.atLeastOne('source', 'prometheus-url'),
    r.notBoth('source', 'prometheus-url'),
    r.needs('queries', 'prometheus-url'),
    r.notBoth('record-baseline', 'baseline-file'),
  ],
  example: {
    'prometheus-url': 'https://prometheus.example.com',
    window: '5m',
    lookback: '30m',
    'min-green-windows': '3',
    'max-error-rate': '0.1%',
  },
} satisfies ActionMeta
