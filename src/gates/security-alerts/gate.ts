/**
 * security-alerts: the seeds' "dependency scans run, no new critical vulnerabilities; container
 * image scans; SBOM generated; secrets scanning run", read where they live: GitHub's open
 * code-scanning (on the release ref), Dependabot and secret-scanning alerts, SARIF files from any
 * scanner, and the SBOM. Every fail names the rule or alert, its severity and where it is. A
 * feature GitHub says is off fails unless its input says `off`; a glob matching nothing, a file
 * that is not SARIF 2.1.0 or lists no component fails.
 */
import { defineGate, type GateRunContext, type GitHubPort } from '../../core/gate.js'
import { check, type Check, type Location } from '../../core/result.js'
import { ALERTS, FEATURE_NAME, readAlerts, type Feature } from './github-alerts.js'
import { expand, folderText, readJson, shown } from './files.js'
import { SarifProblem, readSarif } from './sarif.js'
import { SbomProblem, readSbom } from './sbom.js'
import { atOrAbove, byWorst, countBySeverity, listFindings, type Finding, type Severity } from './severity.js'
import { securityAlertsInputs, securityAlertsAction } from './spec.js'

const SARIF_LIMIT = 256 * 1024 * 1024
const SBOM_LIMIT = 64 * 1024 * 1024
const FEATURES: Feature[] = ['code-scanning', 'dependabot', 'secret-scanning']

interface Row {
  source: string
  finding: Finding
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** How a source's findings are named: `open code-scanning alert` / `…alerts`, and where they are. */
interface Noun {
  one: string
  many: string
  /** ` on refs/heads/release/1.4`, ` in scans/trivy.sarif`. */
  at: string
}

const counted = (n: number, noun: Noun) => `${n} ${n === 1 ? noun.one : noun.many}${noun.at}`

/** The check of a source's findings against the threshold (every one fails when `every`). */
function judged(
  name: string,
  noun: Noun,
  findings: Finding[],
  threshold: Severity,
  every: boolean,
  fix: string,
  location?: Location,
): Check {
  const blocking = findings.filter((f) => every || atOrAbove(f.severity, threshold)).sort(byWorst)
  const below = findings.filter((f) => !blocking.includes(f))
  const level = every ? '' : ` at or above ${threshold}`
  const expected = `no ${noun.one}${noun.at}${level}`
  if (blocking.length === 0) {
    const rest = below.length ? ` (${below.length} below it: ${countBySeverity(below)})` : ''
    return check(
      'pass',
      name,
      below.length ? `${below.length} below ${threshold}` : 'none',
      expected,
      `No ${noun.one}${noun.at}${level}${rest}.`,
      location,
    )
  }
  return check(
    'fail',
    name,
    `${blocking.length}${level || ' open'}`,
    expected,
    `${counted(blocking.length, noun)}${level}: ${listFindings(blocking)}. ${fix}`,
    location,
  )
}

export const securityAlerts = defineGate({
  name: 'security-alerts',
  category: 'Security',
  criteria: { en: 'No open security alerts', tr: 'Açık güvenlik uyarısı yok' },
  ...securityAlertsAction,
  inputs: securityAlertsInputs,
  async run(s, ctx) {
    const threshold = s['max-severity']
    const checks: Check[] = []
    const rows: Row[] = []
    const notes: string[] = []
    const metrics: Record<string, number> = {}
    const ref = s.ref ?? (ctx.env.GITHUB_REF?.trim() || undefined)

    for (const feature of FEATURES) {
      if (s[feature] === 'off') {
        notes.push(`${FEATURE_NAME[feature]}: not read (\`${feature}: off\`).`)
        continue
      }
      checks.push(await featureCheck(ctx.github, feature, ref, threshold, ctx, rows, metrics))
    }

    if (s.sarif) checks.push(...(await sarifChecks(s.sarif, threshold, ctx, rows, metrics)))
    if (s.sbom) checks.push(...(await sbomChecks(s.sbom, ctx, notes)))

    if (checks.length === 0) {
      checks.push(
        check(
          'fail',
          'inputs',
          'nothing to check',
          'alerts, SARIF files or an SBOM to judge',
          'Nothing was checked: code scanning, Dependabot and secret scanning are all `off` and no `sarif` or `sbom` is given. Turn one on, or name the scan reports and the SBOM.',
        ),
      )
    }
    const details = [
      `**Security findings** (failing at or above ${threshold})`,
      '',
      ...(rows.length
        ? [
            '| Source | Finding | Severity | From | Where |',
            '|---|---|---|---|---|',
            ...rows
              .sort((a, b) => byWorst(a.finding, b.finding))
              .slice(0, 200)
              .map(({ source, finding: f }) => `| ${cell(source)} | ${cell(f.id)} | ${f.severity} | ${cell(f.basis)} | ${cell(f.where)} |`),
          ]
        : ['No open finding in any source read.']),
      ...(notes.length ? ['', ...notes] : []),
    ]
    return { checks, metrics, details: details.join('\n') }
  },
})

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()

async function featureCheck(
  gh: GitHubPort | undefined,
  feature: Feature,
  ref: string | undefined,
  threshold: Severity,
  ctx: GateRunContext,
  rows: Row[],
  metrics: Record<string, number>,
): Promise<Check> {
  const name = FEATURE_NAME[feature].toLowerCase()
  const expected = feature === 'secret-scanning' ? 'no open secret-scanning alert' : `nothing open at or above ${threshold}`
  if (!gh)
    return check(
      'fail',
      name,
      'no GitHub API access',
      expected,
      `Could not read the ${ALERTS[feature]}: the gate needs a token and a repository (the \`github-token\` input and GITHUB_REPOSITORY). Give a token, or set \`${feature}: off\`.`,
    )
  const repo = `${gh.owner}/${gh.repo}`
  const server = ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'
  const page = { 'code-scanning': 'code-scanning', dependabot: 'dependabot', 'secret-scanning': 'secret-scanning' }[feature]
  const location = { url: `${server}/${repo}/security/${page}` }
  const read = await readAlerts(gh, feature, ref)
  if ('error' in read) return check('fail', name, read.observed, expected, read.error, location)
  metrics[`${feature.replace(/-/g, '_')}_open`] = read.findings.length
  for (const f of read.findings) rows.push({ source: FEATURE_NAME[feature], finding: f })
  const many = `open ${ALERTS[feature]}`
  const noun = { one: many.replace(/s$/, ''), many, at: feature === 'code-scanning' ? ` on ${ref}` : '' }
  const fix: Record<Feature, string> = {
    'code-scanning': 'Fix them (or dismiss them with a reason) before the cutover.',
    dependabot: 'Upgrade the dependencies (or dismiss the alerts with a reason) before the cutover.',
    'secret-scanning': 'Revoke and rotate each secret, then close its alert, before the cutover.',
  }
  return judged(name, noun, read.findings, threshold, feature === 'secret-scanning', fix[feature], location)
}

async function sarifChecks(patterns: string[], threshold: Severity, ctx: GateRunContext, rows: Row[], metrics: Record<string, number>) {
  const checks: Check[] = []
  const matched = await expand(patterns, ctx.cwd, ctx.fs)
  let results = 0
  for (const m of matched) {
    if (m.files.length === 0) {
      checks.push(
        check(
          'fail',
          'sarif',
          'no file',
          `a SARIF file matching ${m.pattern}`,
          `The glob \`${m.pattern}\` matched no SARIF file under ${folderText(ctx.cwd, ctx.workspace)}: the scan did not run, or wrote elsewhere. Run the scanner before this gate, or fix \`sarif\`.`,
        ),
      )
      continue
    }
    for (const file of m.files) {
      const rel = shown(file, ctx.workspace)
      const name = `sarif ${rel}`
      const location = { path: rel }
      const expected = `SARIF 2.1.0 with nothing at or above ${threshold}`
      const json = await readJson(file, SARIF_LIMIT, ctx.fs)
      if ('problem' in json) {
        checks.push(
          check('fail', name, 'unreadable', expected, `${rel} ${json.problem}: a scan report nobody can read proves nothing.`, location),
        )
        continue
      }
      try {
        const sarif = readSarif(json.data)
        results += sarif.findings.length
        for (const f of sarif.findings) rows.push({ source: rel, finding: f })
        const skipped = Object.entries(sarif.skipped)
          .map(([why, n]) => `${n} ${why}`)
          .join(', ')
        const c = judged(
          name,
          { one: `result of ${sarif.tools.join(', ')}`, many: `results of ${sarif.tools.join(', ')}`, at: ` in ${rel}` },
          sarif.findings,
          threshold,
          false,
          'Fix them, or suppress them in the scanner with a reason, before the cutover.',
          location,
        )
        if (skipped) c.message = c.message.replace(/\.$/, '') + ` (not findings: ${skipped}).`
        checks.push(c)
      } catch (err) {
        if (!(err instanceof SarifProblem)) throw err
        checks.push(
          check(
            'fail',
            name,
            'not SARIF 2.1.0',
            expected,
            `${rel} ${err.message}: it cannot be judged. Point \`sarif\` at the scanner's SARIF 2.1.0 output.`,
            location,
          ),
        )
      }
    }
  }
  metrics.sarif_results = results
  return checks
}

async function sbomChecks(patterns: string[], ctx: GateRunContext, notes: string[]) {
  const checks: Check[] = []
  for (const m of await expand(patterns, ctx.cwd, ctx.fs)) {
    const expected = 'a CycloneDX or SPDX JSON SBOM listing components'
    if (m.files.length === 0) {
      checks.push(
        check(
          'fail',
          'sbom',
          'no file',
          expected,
          `No SBOM matches \`${m.pattern}\` under ${folderText(ctx.cwd, ctx.workspace)}: the SBOM was not generated, or was written elsewhere. Generate it (CycloneDX or SPDX JSON) before this gate, or fix \`sbom\`.`,
        ),
      )
      continue
    }
    for (const file of m.files) {
      const rel = shown(file, ctx.workspace)
      const name = `sbom ${rel}`
      const json = await readJson(file, SBOM_LIMIT, ctx.fs)
      if ('problem' in json) {
        checks.push(check('fail', name, 'unreadable', expected, `The SBOM ${rel} ${json.problem}.`, { path: rel }))
        continue
      }
      try {
        const sbom = readSbom(json.data)
        const about = sbom.subject ? ` for ${sbom.subject}` : ''
        if (sbom.components === 0) {
          checks.push(
            check(
              'fail',
              name,
              `${sbom.format}, no components`,
              expected,
              `The SBOM ${rel} (${sbom.format}${about}) lists no components: it names none of the release's parts. Generate it from the built release.`,
              { path: rel },
            ),
          )
        } else {
          checks.push(
            check(
              'pass',
              name,
              `${sbom.format}, ${plural(sbom.components, 'component')}`,
              expected,
              `The SBOM ${rel} (${sbom.format}${about}) lists ${plural(sbom.components, 'component')}.`,
              { path: rel },
            ),
          )
          notes.push(`SBOM ${rel}: ${sbom.format}, ${plural(sbom.components, 'component')}${about}.`)
        }
      } catch (err) {
        if (!(err instanceof SbomProblem)) throw err
        checks.push(check('fail', name, 'not an SBOM', expected, `The SBOM ${rel} ${err.message}.`, { path: rel }))
      }
    }
  }
  return checks
}
