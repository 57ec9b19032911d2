/**
 * `cutover init`: a starting `cutover.yml` and a "Cutover" button workflow that calls our
 * reusable workflow, both commented. It overwrites nothing: when either file exists, neither is
 * written, so a half-initialised repository cannot happen.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { checklistInputs } from '../core/checklist.js'
import { UsageError, defaultOf, parseFlags, type Command } from './command.js'

const CONFIG = defaultOf(checklistInputs.config)
const WORKFLOW = '.github/workflows/cutover.yml'
const REPOSITORY_PLACEHOLDER = 'OWNER/cutover-gates'
const REF_PLACEHOLDER = 'FULL-COMMIT-SHA-OF-CUTOVER-GATES'

export function starterConfig(): string {
  return `# cutover.yml: the go-live checklist, one gate per line of the runbook.
# Each gate: an id (names its check run and report), \`uses:\` (which gate) and \`with:\` (exactly
# that gate's inputs; \`cutover schema\` prints them all). \${NAME} takes an environment variable,
# so secrets and per-run URLs stay out of this file.
#   cutover validate   checks this file, its inputs and the files they name, probing nothing
#   cutover check      runs the gates and prints the Go/No-Go table
version: 1
gates:
  # "Readyz endpoint healthy": HTTP 200 and status ok, three passes in a row within 2 minutes.
  - id: api-readyz
    uses: readyz
    with:
      url: https://api.example.com/readyz
      expect: status=ok
      consecutive: 3
      wait: 2m

  # "Evidence integrity": the release's proof folder is what was sealed
  # (seal it with \`cutover evidence seal artifacts/rc-proof --key release.pem\`).
  # - id: rc-proof
  #   uses: evidence
  #   with:
  #     path: artifacts/rc-proof
  #     public-key: keys/release.pub

  # "No keys expiring within 7 days".
  # - id: keys
  #   uses: key-rotation
  #   with:
  #     certificates: certs/*.pem
  #     fail-within: 7d

# The Go/No-Go rule, read by \`cutover check\`, decide and the job summary alike.
decide:
  required: [api-readyz]
  allow-warn: false

# How the cutover rolls out (used by \`cutover rehearse\` and the Cutover workflow).
# rollout:
#   steps: [10, 25, 50, 100]
#   canary: canary            # a gate with \`uses: canary\`
#   verify: [api-readyz]
#   promote: ./deploy/canary_step.sh "$WEIGHT"
#   rollback: ./deploy/abort.sh --reason "$REASON"
`
}

export function starterWorkflow(repository: string, ref: string): string {
  const placeholders = repository === REPOSITORY_PLACEHOLDER || ref === REF_PLACEHOLDER
  return `# A "Cutover" button: Actions → Cutover → Run workflow, pick the environment and the release.
# Set up before the first run:
#   - an environment per target (Settings → Environments) with required reviewers: they approve GO;
${
  placeholders
    ? `#   - replace ${REPOSITORY_PLACEHOLDER} and ${REF_PLACEHOLDER} below with the Cutover Gates
#     repository and the full commit SHA you trust (a tag can move; a SHA cannot);\n`
    : ''
}#   - optional secrets: SLACK_WEBHOOK_URL (the communication plan), CUTOVER_SIGNING_KEY (a PEM
#     private key that signs the evidence bundle);
#   - promote-command and rollback-command: your deployment's own scripts.
name: Cutover

on:
  workflow_dispatch:
    inputs:
      environment:
        description: Environment to cut over
        type: environment
        required: true
      release-ref:
        description: Release tag, branch or SHA
        type: string
        required: true
      dry-run:
        description: Rehearsal (commands echoed, not run)
        type: boolean
        default: true
      abort-drill:
        description: Inject a failure at this canary step (e.g. 50) to prove rollback
        type: string
        default: ''

permissions:
  contents: read

jobs:
  cutover:
    uses: ${repository}/.github/workflows/cutover.yml@${ref}
    permissions:
      contents: read
      checks: write
      actions: read
      deployments: write
    with:
      environment: \${{ inputs.environment }}
      release-ref: \${{ inputs.release-ref }}
      gates-repository: ${repository}
      gates-ref: ${ref}
      config: ${CONFIG}
      canary-steps: '10,25,50,100'
      promote-command: ./deploy/canary_step.sh "$WEIGHT"
      rollback-command: ./deploy/abort.sh --reason "$REASON"
      verify: api-readyz
      dry-run: \${{ inputs.dry-run }}
      abort-drill: \${{ inputs.abort-drill }}
    secrets:
      webhook-url: \${{ secrets.SLACK_WEBHOOK_URL }}
      signing-key: \${{ secrets.CUTOVER_SIGNING_KEY }}
`
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Write a commented starting cutover.yml and a Cutover button workflow (overwrites nothing)',
  usage: `Usage: cutover init [options]

Writes ${CONFIG} (a commented starting checklist) and ${WORKFLOW} (a "Cutover" button
calling the reusable workflow of Cutover Gates). If either file exists, neither is written.

  --dir <folder>                  the repository to write into (default: the current folder)
  --gates-repository <owner/name> the Cutover Gates repository the workflow calls (default: a placeholder)
  --gates-ref <sha>               the full commit SHA of Cutover Gates to call (default: a placeholder)

Exit codes: 0 written, 2 nothing written (the reason is printed).`,
  async run(args) {
    const { values } = parseFlags(args, {
      dir: { type: 'string', default: '.' },
      'gates-repository': { type: 'string', default: REPOSITORY_PLACEHOLDER },
      'gates-ref': { type: 'string', default: REF_PLACEHOLDER },
    })
    if (values.dir.trim() === '') throw new UsageError('--dir names no folder; give the repository to write into')
    const repository = values['gates-repository']
    if (repository !== REPOSITORY_PLACEHOLDER && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository))
      throw new UsageError(`--gates-repository takes owner/name, such as acme/cutover-gates, not "${repository}"`)
    const ref = values['gates-ref']
    if (ref !== REF_PLACEHOLDER && !/^[0-9a-f]{40}$/.test(ref))
      throw new UsageError(`--gates-ref takes a full 40-character commit SHA (a tag can be moved), not "${ref}"`)
    const root = path.resolve(values.dir)
    const files = [
      { name: CONFIG, text: starterConfig() },
      { name: WORKFLOW, text: starterWorkflow(repository, ref) },
    ]
    const there = files.filter((f) => existsSync(path.join(root, f.name)))
    if (there.length) {
      process.stderr.write(
        `cutover init: ${there.map((f) => f.name).join(' and ')} already ${there.length === 1 ? 'exists' : 'exist'} in ${root}, and init overwrites nothing, so nothing was written. Move ${there.length === 1 ? 'it' : 'them'} aside to start afresh, or edit ${there.length === 1 ? 'it' : 'them'} by hand.\n`,
      )
      return 2
    }
    for (const f of files) {
      const target = path.join(root, f.name)
      await mkdir(path.dirname(target), { recursive: true })
      // `wx`: should the file appear between the check and now, it is still not overwritten.
      await writeFile(target, f.text, { flag: 'wx' })
      process.stdout.write(`wrote ${f.name}\n`)
    }
    if (repository === REPOSITORY_PLACEHOLDER || ref === REF_PLACEHOLDER)
      process.stdout.write(
        `Next: in ${WORKFLOW}, replace ${REPOSITORY_PLACEHOLDER} and ${REF_PLACEHOLDER} with the Cutover Gates repository and commit you trust (or rerun with --gates-repository and --gates-ref).\n`,
      )
    process.stdout.write(`Then edit ${CONFIG} and run \`cutover validate\`.\n`)
    return 0
  },
}
