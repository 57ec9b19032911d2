/**
 * The open alerts GitHub holds for the repository: code scanning (on the release ref),
 * Dependabot, secret scanning. Every page is read. An answer saying the feature is off (or not
 * set up) is told apart from a refusal of the token, and both are problems: only the gate's input
 * `off` excuses a feature, never GitHub's silence. A secret's value is never asked for.
 */
import type { GitHubPort } from '../../core/gate.js'
import { apiFailure, describeStatus, githubMessage, httpStatus, isRecord } from '../../github/errors.js'
import { allItems } from '../../github/pages.js'
import { fromLevel, fromName, type Finding } from './severity.js'

export type Feature = 'code-scanning' | 'dependabot' | 'secret-scanning'

export const FEATURE_NAME: Record<Feature, string> = {
  'code-scanning': 'Code scanning',
  dependabot: 'Dependabot alerts',
  'secret-scanning': 'Secret scanning',
}

/** What the alerts are called in a sentence. */
export const ALERTS: Record<Feature, string> = {
  'code-scanning': 'code-scanning alerts',
  dependabot: 'Dependabot alerts',
  'secret-scanning': 'secret-scanning alerts',
}

export type AlertsRead = { findings: Finding[] } | { observed: string; error: string }

const NEEDS: Record<Feature, string> = {
  'code-scanning': 'Reading code-scanning alerts needs `permissions: security-events: read` (a classic token: `security_events`).',
  dependabot:
    'Reading Dependabot alerts needs a token with the repository permission "Dependabot alerts: read" (a fine-grained token or GitHub App; GitHub may refuse them to the workflow\u2019s GITHUB_TOKEN) or a classic token with `security_events`.',
  'secret-scanning':
    'Reading secret-scanning alerts needs a token with the repository permission "Secret scanning alerts: read" (a fine-grained token or GitHub App; the workflow\u2019s GITHUB_TOKEN cannot) or a classic token with `security_events`.',
}

/** GitHub's words for a feature that is off or not set up, per feature. */
const OFF: Record<Feature, (status: number, said: string) => boolean> = {
  'code-scanning': (status, said) => status === 404 || (status === 403 && /not enabled|must be enabled|advanced security/i.test(said)),
  dependabot: (status, said) => (status === 403 || status === 404) && /disabled|not enabled/i.test(said),
  'secret-scanning': (status, said) => status === 404 || (status === 403 && /disabled|not enabled|advanced security/i.test(said)),
}

const ROUTE: Record<Feature, string> = {
  'code-scanning': 'GET /repos/{owner}/{repo}/code-scanning/alerts',
  dependabot: 'GET /repos/{owner}/{repo}/dependabot/alerts',
  'secret-scanning': 'GET /repos/{owner}/{repo}/secret-scanning/alerts',
}

const text = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x : undefined)
const obj = (x: unknown) => (isRecord(x) ? x : {})

function codeScanningFinding(a: Record<string, unknown>): Finding {
  const rule = obj(a.rule)
  const instance = obj(a.most_recent_instance)
  const loc = obj(instance.location)
  const tool = text(obj(a.tool).name) ?? 'code scanning'
  const level = text(rule.security_severity_level)
  const graded = level
    ? { severity: fromName(level), basis: `security severity ${level}` }
    : text(rule.severity)
      ? { severity: fromLevel(String(rule.severity)), basis: `severity ${String(rule.severity)}` }
      : { severity: 'unknown' as const, basis: 'no severity given' }
  const path = text(loc.path)
  const where = `${path ? `${path}${typeof loc.start_line === 'number' ? `:${loc.start_line}` : ''}` : 'no location given'} (${tool} alert #${String(a.number ?? '?')})`
  const title = text(rule.description) ?? text(obj(instance.message).text)
  return { id: text(rule.id) ?? text(rule.name) ?? 'an unnamed rule', ...graded, where, ...(title ? { title } : {}) }
}

function dependabotFinding(a: Record<string, unknown>): Finding {
  const advisory = obj(a.security_advisory)
  const vulnerability = obj(a.security_vulnerability)
  const dependency = obj(a.dependency)
  const pkg = obj(dependency.package)
  const severity = text(vulnerability.severity) ?? text(advisory.severity)
  const ghsa = text(advisory.ghsa_id) ?? 'an advisory without an id'
  const cve = text(advisory.cve_id)
  const manifest = text(dependency.manifest_path)
  const where = `${text(pkg.ecosystem) ?? '?'}/${text(pkg.name) ?? '?'}${manifest ? ` in ${manifest}` : ''} (Dependabot alert #${String(a.number ?? '?')})`
  return {
    id: cve ? `${ghsa} (${cve})` : ghsa,
    severity: fromName(severity),
    basis: severity ? `advisory severity ${severity}` : 'no severity given',
    where,
    ...(text(advisory.summary) ? { title: text(advisory.summary) } : {}),
  }
}

function secretFinding(a: Record<string, unknown>): Finding {
  const first = obj(a.first_location_detected)
  const path = text(first.path)
  const validity = text(a.validity)
  const where = `${path ? `${path}${typeof first.start_line === 'number' ? `:${first.start_line}` : ''}, ` : ''}secret scanning alert #${String(a.number ?? '?')}`
  // A secret alert has no severity: an exposed credential is treated as the worst there is.
  return {
    id: text(a.secret_type_display_name) ?? text(a.secret_type) ?? 'a secret',
    severity: 'critical',
    basis: `an exposed secret${validity ? `, validity ${validity}` : ''}: every open one fails`,
    where,
  }
}

const FINDING: Record<Feature, (a: Record<string, unknown>) => Finding> = {
  'code-scanning': codeScanningFinding,
  dependabot: dependabotFinding,
  'secret-scanning': secretFinding,
}

export async function readAlerts(gh: GitHubPort, feature: Feature, ref: string | undefined): Promise<AlertsRead> {
  const repo = `${gh.owner}/${gh.repo}`
  const name = FEATURE_NAME[feature]
  if (feature === 'code-scanning' && !ref)
    return {
      observed: 'no release ref',
      error: `Could not tell which ref the release is, so its code-scanning alerts cannot be read: give \`ref\`, such as refs/heads/release/1.4.`,
    }
  const params: Record<string, unknown> = { owner: gh.owner, repo: gh.repo, state: 'open', per_page: 100 }
  if (feature === 'code-scanning') params.ref = ref
  if (feature === 'secret-scanning') params.hide_secret = true
  let items: unknown[] | undefined
  try {
    items = await allItems(gh.octokit, ROUTE[feature], params)
  } catch (err) {
    const status = httpStatus(err)
    const said = githubMessage(err)
    if (status !== undefined && OFF[feature](status, said)) {
      return {
        observed: `off (HTTP ${status})`,
        error:
          `${name} ${feature === 'dependabot' ? 'are' : 'is'} off or not set up for ${repo}${feature === 'code-scanning' ? ` on ${ref}` : ''}: GitHub answered HTTP ${status} (${said}), so no alert of it can be read, and a scan that never ran proves nothing. ` +
          `Turn it on in Settings → Code security, or set \`${feature}: off\` to cut over without it.`,
      }
    }
    return {
      observed: `unreadable (${describeStatus(err)})`,
      error: apiFailure(err, `list the open ${ALERTS[feature]} of ${repo}`, NEEDS[feature]),
    }
  }
  if (!items || items.some((a) => !isRecord(a)))
    return {
      observed: 'unreadable answer',
      error: `GitHub answered the ${ALERTS[feature]} of ${repo} with something that is not a list of alerts. Run the gate again.`,
    }
  // Asked for open ones only: any other that comes along is not an open alert.
  const open = (items as Record<string, unknown>[]).filter((a) => a.state === 'open')
  return { findings: open.map(FINDING[feature]) }
}
