/** The inputs of decide, each with its description, default and form. */
import type { ActionMeta } from '../../core/gate.js'
import { DEFAULT_MAX_REPORT_AGE } from '../../core/verdict.js'
import { input } from '../../core/inputs.js'
import { ID_FORM, ID_PATTERN } from '../../core/report.js'
import { InputFormError, boundedDuration, parseList } from '../../core/units.js'
import { pemSecrets } from './sign.js'

// ---------------------------------------------------------------------------------------------
// Input parsers

export const REQUIRED_FORM = `gate ids (${ID_FORM}), one per line or separated by commas`

export function parseRequired(raw: string): string[] {
  const ids = raw.split(/[\s,]+/).filter(Boolean)
  if (ids.length === 0) throw new InputFormError(raw, REQUIRED_FORM)
  for (const id of ids) if (!ID_PATTERN.test(id)) throw new InputFormError(id, REQUIRED_FORM)
  return [...new Set(ids)]
}

export const SHA_FORM = 'a full commit SHA: 40 (or, in SHA-256 repositories, 64) hexadecimal digits'

export function parseSha(raw: string): string {
  const t = raw.trim().toLowerCase()
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(t)) throw new InputFormError(raw, SHA_FORM)
  return t
}

export const APPROVALS_FORM =
  'a JSON array of approval records (or an object with an `approvals` array), inline or as a path to a JSON file'
/** Approvals are a handful of records; a bigger file is not what we were asked to record. */
export const MAX_APPROVALS_BYTES = 1024 * 1024

/** The approval records in a JSON value, or a phrase saying why there are none to take. */
export function approvalRecords(value: unknown): unknown[] | string {
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { approvals?: unknown }).approvals)
      ? (value as { approvals: unknown[] }).approvals
      : value && typeof value === 'object'
        ? [value]
        : undefined
  if (!list) return `it is ${value === null ? 'null' : `a ${typeof value}`}, not ${APPROVALS_FORM}`
  const bad = list.findIndex((a) => a === null || typeof a !== 'object' || Array.isArray(a))
  if (bad >= 0) return `record ${bad + 1} is not a JSON object`
  return list
}

// ---------------------------------------------------------------------------------------------
// The gate

export const REPORTS_FORM = 'folders of gate reports, one per line; a folder may be a glob such as `evidence/*`'
export const AGE_FORM = 'a duration above zero, such as 24h or 90m'

export const decideInputs = {
  reports: input.custom('list', REPORTS_FORM, (raw) => {
    const items = parseList(raw)
    if (items.length === 0) throw new InputFormError(raw, REPORTS_FORM)
    return items
  })(
    'Folders holding the gate reports (`<id>.json`) and the `ledger.jsonl` their gates appended to, one per line (globs such as `evidence/*` allowed): one folder per job of a workflow, each checked against its own ledger.',
    { default: 'cutover-reports' },
  ),
  required: input.custom(
    'list',
    REQUIRED_FORM,
    parseRequired,
  )(
    'Gate ids that must have a report for a GO, one per line. Default: `decide.required` of `config`. Without either, decide judges whatever reports it finds, and since a gate that never ran would go unnoticed, that is NO-GO unless `allow-warn` is set.',
  ),
  'allow-warn': input.boolean(
    'Let a gate that warned count towards GO (the decision is then GO with warnings); a failed gate is always NO-GO. Default: `decide.allow-warn` of `config`, else `false`.',
  ),
  'max-report-age': input.custom(
    'string',
    AGE_FORM,
    boundedDuration(1, 366 * 86_400_000, AGE_FORM),
  )(
    `A report that finished longer ago than this is stale, so NO-GO. Default: \`decide.max-report-age\` of \`config\`, else \`${DEFAULT_MAX_REPORT_AGE}\`.`,
  ),
  config: input.string(
    'A `cutover.yml` whose `decide:` block (required, allow-warn, max-report-age) sets the defaults of those inputs, so decide applies the rule `cutover check` and `cutover rehearse` apply.',
  ),
  bundle: input.string(
    'Where to write the evidence bundle. Empty means `cutover-summary.json` in the first `reports` folder. decide never overwrites a file that is not an earlier bundle.',
  ),
  'signing-key': input.string(
    'PEM private key (Ed25519, ECDSA P-256 or RSA of 2048 bits or more), inline or a path, to sign the bundle. Keep it in a secret.',
    {
      secret: pemSecrets,
    },
  ),
  'hmac-key': input.string(
    'Shared secret (at least 16 bytes) to sign the bundle with HMAC-SHA256 instead of a private key. Keep it in a secret.',
    {
      secret: true,
    },
  ),
  'ledger-chain': input.oneOf(['auto', 'linked', 'separate'] as const)(
    "How the `reports` folders' ledgers relate. `linked`: they are one chain across the run (each job's first record names the last hash of the job before it, handed on as CUTOVER_LEDGER_PREV), so a job's record removed, reordered or edited, or a job's folder missing from the middle, is NO-GO, and the bundle's `chainHead` is the run's last hash. `separate`: each ledger is a chain of its own. `auto`: linked when any ledger continues another.",
    { default: 'auto' },
  ),
  'attest-subjects': input.list(
    'Files (artifacts of the release, one per line) whose SHA-256 the in-toto statement names as subjects beside the release commit. Each must exist: a subject that cannot be hashed is NO-GO.',
  ),
  'preflight-bundle': input.string(
    "The pre-flight decision bundle this run went on with (the decide job's GO bundle). With `approved-digest`: the approvals must be of exactly this file, so a pre-flight that changed after the approval (a re-run with other reports) is NO-GO.",
  ),
  'approved-digest': input.string(
    "The digest (`sha256:<hex>`) of the pre-flight decision the reviewers approved: the decide job's `digest` output, recorded by the job that waited for the approval. Needs `preflight-bundle`.",
  ),
  approvals: input.string(`Recorded approvals to include in the bundle (e.g. approval-guard's output): ${APPROVALS_FORM}.`),
  sha: input.custom(
    'string',
    SHA_FORM,
    parseSha,
  )("The commit being cut over; reports must be about it. Default: the run's commit (the pull request's head on pull_request events)."),
}

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const decideAction = {
  title: 'GO / NO-GO decision',
  description:
    'Decide GO / NO-GO from the gate reports of this commit and run, and write the signed evidence bundle (cutover-summary.json) with the Go/No-Go table and the cutover timeline.',
  branding: { icon: 'check-square', color: 'green' },
  example: {
    reports: 'cutover-reports',
    required: 'api-readyz\nkeys\ncanary',
    'signing-key': '${{ secrets.CUTOVER_SIGNING_KEY }}',
  },
} satisfies ActionMeta
