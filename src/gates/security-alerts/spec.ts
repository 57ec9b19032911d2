/** The inputs of `security-alerts`: the threshold, the release ref, which GitHub features, and files. */
import type { ActionMeta } from '../../core/gate.js'
import { input } from '../../core/inputs.js'
import { SEVERITIES } from './severity.js'

const onOff = (feature: string, what: string) =>
  input.oneOf(['on', 'off'])(
    `\`on\`: read the open ${what}; a feature GitHub says is off is a \`fail\`. \`off\`: do not read them (say so when the repository does not use ${feature}).`,
    { default: 'on' },
  )

export const securityAlertsInputs = {
  'max-severity': input.oneOf(SEVERITIES)(
    'The lowest severity that fails: `critical`, `high`, `medium` or `low`. A SARIF `security-severity` score maps as GitHub maps it (9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low); a result with only a `level` maps error to high, warning to medium, note to low.',
    { default: 'high' },
  ),
  ref: input.string(
    'The release ref whose code-scanning alerts count, such as `refs/heads/release/1.4`. Default: the ref of the run (GITHUB_REF).',
  ),
  'code-scanning': onOff('code scanning', 'code-scanning alerts on `ref` (needs `security-events: read`)'),
  dependabot: onOff('Dependabot alerts', 'Dependabot alerts (needs a token with "Dependabot alerts: read")'),
  'secret-scanning': onOff(
    'secret scanning',
    'secret-scanning alerts (needs a token with "Secret scanning alerts: read"; every open one fails, whatever `max-severity` says)',
  ),
  sarif: input.list(
    'SARIF 2.1.0 files from any scanner (Trivy, Grype, CodeQL, …), as paths or globs relative to the workspace, one per line: each must match a file, and every result at or above `max-severity` fails.',
  ),
  sbom: input.list(
    'The SBOM (CycloneDX or SPDX JSON), as paths or globs relative to the workspace, one per line: each must exist, parse and list components.',
  ),
}

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const securityAlertsAction = {
  title: 'Security alerts',
  description:
    'Fail the cutover on open security alerts: code scanning on the release ref, Dependabot and secret scanning at or above a severity, SARIF files from any scanner (Trivy, Grype, CodeQL), and an SBOM (CycloneDX or SPDX) that lists components.',
  branding: { icon: 'shield', color: 'green' },
  example: {
    'max-severity': 'high',
    sarif: 'scans/*.sarif',
    sbom: 'sbom.cdx.json',
    'github-token': '${{ secrets.SECURITY_ALERTS_TOKEN }}',
  },
} satisfies ActionMeta
