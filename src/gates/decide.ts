/**
 * decide: the Go/No-Go decision over the gate reports of one commit and one run, and the signed
 * evidence bundle that records it.
 *
 * GO only when every `required` gate has a report, every report in the folder is from this
 * commit and this workflow run, and each passed (or warned, with `allow-warn`). A report from
 * another commit or run is stale; an unreadable, edited or failing report is a reason for NO-GO
 * ("Canary FAIL = NO-GO, no exceptions": `allow-warn` never admits a fail). The bundle is
 * written whatever the decision, so a NO-GO leaves its evidence too.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { defineGate, type GateContext } from '../core/gate.js'
import { input, type Settings as InputSettings } from '../core/inputs.js'
import { LEDGER_FILE } from '../core/ledger.js'
import { ID_FORM, ID_PATTERN, subjectFromEnv, type Report } from '../core/report.js'
import { check, statusOf, type Check } from '../core/result.js'
import { InputFormError } from '../core/units.js'
import { runContext } from '../github/context.js'
import {
  BUNDLE_SCHEMA_VERSION,
  DEFAULT_BUNDLE_NAME,
  relativeToBundle,
  signBundle,
  writeBundle,
  type Bundle,
  type BundleReport,
  type BundleSubject,
  type LedgerPin,
} from '../bundle/bundle.js'
import { latestById, readLedger } from '../bundle/ledger.js'
import { errorCode, fsProblem } from '../bundle/fs-errors.js'
import { readReportDir, type ReportFile } from '../bundle/reports.js'
import { KeyError, hmacSigner, pemSecrets, privateKeySigner, readPem, ALG_NAMES, type Signer } from '../bundle/sign.js'
import { decisionRows, renderDecisionMarkdown, renderFinalDecision, type GateInfo } from '../bundle/table.js'
import { renderGantt } from '../bundle/timeline.js'
import { cell } from '../core/summary.js'

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

export const decideInputs = {
  reports: input.string('Folder holding the gate reports (`<id>.json`) to decide on.', { default: 'cutover-reports' }),
  required: input.custom(
    'list',
    REQUIRED_FORM,
    parseRequired,
  )(
    'Gate ids that must have a report for a GO, one per line. Without it, decide judges whatever reports it finds and warns that a gate that never ran would go unnoticed.',
  ),
  'allow-warn': input.boolean(
    'Let a gate that warned count towards GO (the decision is then GO with warnings); a failed gate is always NO-GO.',
    {
      default: 'false',
    },
  ),
  bundle: input.string('Where to write the evidence bundle. Empty means `<reports>/cutover-summary.json`.'),
  'signing-key': input.string(
    'PEM private key (Ed25519, ECDSA P-256 or RSA of 2048 bits or more), inline or a path, to sign the bundle. Keep it in a secret.',
    {
      secret: pemSecrets,
    },
  ),
  'hmac-key': input.string('Shared secret (at least 16 bytes) to sign the bundle with HMAC-SHA256 instead of a private key.', {
    secret: true,
  }),
  approvals: input.string(`Recorded approvals to include in the bundle (e.g. approval-guard's output): ${APPROVALS_FORM}.`),
  sha: input.custom(
    'string',
    SHA_FORM,
    parseSha,
  )("The commit being cut over; reports must be about it. Default: the run's commit (the pull request's head on pull_request events)."),
}

type Settings = InputSettings<typeof decideInputs>

export const decide = defineGate({
  name: 'decide',
  category: 'Ops',
  criteria: { en: 'Go/No-Go decision', tr: 'GO/NO-GO Kararı' },
  inputs: decideInputs,
  outputs: {
    decision: '`GO` or `NO-GO`.',
    bundle: 'Path of the evidence bundle (`cutover-summary.json`).',
    digest: 'SHA-256 of the bundle file, written `sha256:<hex>`.',
  },
  run: decideRun,
})

/** Where the run says the cutover is: the commit, the run and its attempt, the repository. */
interface Expected {
  sha?: string
  runId?: string
  runAttempt?: string
  repository?: string
}

function expectation(s: Settings, ctx: GateContext): Expected {
  const env = ctx.env
  return {
    sha: (s.sha ?? ctx.github?.sha ?? runContext(env).sha)?.toLowerCase(),
    runId: env.GITHUB_RUN_ID ?? (ctx.github?.runId !== undefined ? String(ctx.github.runId) : undefined),
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    repository: env.GITHUB_REPOSITORY,
  }
}

const short = (sha: string | undefined) => (sha ? sha.slice(0, 12) : 'none')

/** Paths in messages: relative to the workspace when inside it. */
function shown(ctx: GateContext, file: string): string {
  const rel = path.relative(ctx.workspace, file)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file
}

async function decideRun(s: Settings, ctx: GateContext) {
  const reportsDir = path.resolve(ctx.cwd, s.reports)
  const bundleFile = path.resolve(ctx.cwd, s.bundle || path.join(s.reports, DEFAULT_BUNDLE_NAME))
  const allowWarn = s['allow-warn']
  const expected = expectation(s, ctx)
  const checks: Check[] = []

  const signing = await prepareSigner(s, ctx)
  const approvals = await loadApprovals(s.approvals, ctx)

  const skip = new Set([bundleFile, ...(approvals.file ? [approvals.file] : [])])
  const dir = await readReportDir(reportsDir, skip)
  // decide's own report (this run's, or an earlier decide's) is not a gate of the cutover.
  const files = dir.files.filter((f) => f.report?.gate !== 'decide')
  const own = dir.files.filter((f) => f.report?.gate === 'decide').map((f) => ({ file: f.file, why: 'it is a decide report' }))
  const skipped = [...dir.skipped, ...own]
  ctx.log(
    `decide: read ${files.length} report file${files.length === 1 ? '' : 's'} in ${shown(ctx, reportsDir)}${skipped.length ? ` (left out ${skipped.length}: ${skipped.map((x) => path.basename(x.file)).join(', ')})` : ''}`,
  )

  checks.push(folderCheck(ctx, reportsDir, dir.problem, files))
  const subjects = subjectsCheck(files, expected)
  if (subjects) checks.push(subjects)
  for (const f of files) checks.push(judge(f, expected, allowWarn, ctx))
  checks.push(...requiredChecks(s.required, files, reportsDir, ctx))
  const ledger = await ledgerCheck(reportsDir, files, bundleFile, ctx)
  if (ledger.check) checks.push(ledger.check)
  if (approvals.check) checks.push(approvals.check)
  checks.push(signing.check)

  // The decision, before the bundle that records it.
  const decidedAt = ctx.now()
  const status = statusOf(checks)
  const decision = status === 'fail' ? 'NO-GO' : 'GO'
  const reports: BundleReport[] = files.map((f) => bundleEntry(f, bundleFile))
  const parsed = files.filter((f): f is ReportFile & { report: Report } => f.report !== undefined)
  const unsigned: Omit<Bundle, 'signature'> = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    subject: bundleSubject(ctx, expected),
    decision,
    status,
    decidedAt: decidedAt.toISOString(),
    reasons: checks.filter((c) => c.status !== 'pass').map((c) => c.message),
    reports,
    timeline: parsed
      .map((f) => ({ id: f.report.id, start: f.report.startedAt, finish: f.report.finishedAt, status: f.report.status }))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id)),
    approvals: approvals.records,
    ...(ledger.pin ? { ledger: ledger.pin } : {}),
  }
  const bundle = signBundle(unsigned, signing.signer)

  let digest = ''
  let bundleOutput = ''
  try {
    digest = await writeBundle(bundleFile, bundle)
    bundleOutput = shown(ctx, bundleFile)
    checks.push(
      check(
        'pass',
        'evidence bundle',
        `${bundleOutput} (${digest})`,
        'the bundle written',
        `Wrote the ${decision} bundle ${bundleOutput} (${digest}).`,
        {
          path: bundleOutput,
        },
      ),
    )
  } catch (err) {
    checks.push(
      check(
        'fail',
        'evidence bundle',
        `not written (${errorCode(err)})`,
        'the bundle written',
        `The evidence bundle ${shown(ctx, bundleFile)} ${fsProblem(err, 'written')} (${errorCode(err)}): without it there is no record of the decision, so it is NO-GO. Check that \`bundle\` names a writable path.`,
      ),
    )
  }
  const finalStatus = statusOf(checks)
  const finalDecision = finalStatus === 'fail' ? 'NO-GO' : 'GO'
  const reasons = checks.filter((c) => c.status !== 'pass').length
  ctx.log(`decide: ${finalDecision} (${reasons} reason${reasons === 1 ? '' : 's'})`)

  const info = await gateInfoLookup()
  const details = renderDetails({ checks, files, bundle, decidedAt, finalDecision, bundleOutput, digest, skipped, ctx, info })
  const metrics = {
    reports: files.length,
    passed: parsed.filter((f) => f.report.status === 'pass').length,
    warned: parsed.filter((f) => f.report.status === 'warn').length,
    failed: parsed.filter((f) => f.report.status === 'fail').length,
    reasons: checks.filter((c) => c.status === 'fail').length,
  }
  return { checks, metrics, details, outputs: { decision: finalDecision, bundle: bundleOutput, digest } }
}

// ---------------------------------------------------------------------------------------------
// Judging the reports

function folderCheck(ctx: GateContext, dir: string, problem: string | undefined, files: ReportFile[]): Check {
  const where = shown(ctx, dir)
  if (problem)
    return check(
      'fail',
      'reports folder',
      `${where} ${problem}`,
      'a folder of gate reports',
      `The reports folder ${where} ${problem}: there is nothing to decide on, so it is NO-GO. Run the gates first with \`report-dir: ${where}\`, or download their report artifacts into it.`,
    )
  if (files.length === 0)
    return check(
      'fail',
      'reports folder',
      `0 reports in ${where}`,
      'at least one gate report',
      `${where} holds no gate reports: nothing was measured, so nothing can be GO. Run the gates first with \`report-dir: ${where}\`, or download their report artifacts into it.`,
    )
  return check(
    'pass',
    'reports folder',
    `${files.length} report${files.length === 1 ? '' : 's'} in ${where}`,
    'at least one gate report',
    `Found ${files.length} report${files.length === 1 ? '' : 's'} in ${where}.`,
  )
}

/** Why a report is not about this commit and run, or nothing when it is. */
function staleness(r: Report, e: Expected): string[] {
  const why: string[] = []
  const sub = r.subject
  if (e.repository && sub.repository && sub.repository !== e.repository)
    why.push(`it is from repository ${sub.repository}, not ${e.repository}`)
  if (e.sha) {
    if (!sub.sha) why.push(`it names no commit, and this cutover is for ${short(e.sha)}`)
    else if (sub.sha.toLowerCase() !== e.sha) why.push(`it is from commit ${short(sub.sha)}, not ${short(e.sha)}`)
  }
  if (e.runId) {
    if (!sub.runId) why.push(`it names no workflow run, and this is run ${e.runId}`)
    else if (sub.runId !== e.runId) why.push(`it is from workflow run ${sub.runId}, not this run ${e.runId}`)
  }
  // A re-run keeps the reports of jobs that succeeded in earlier attempts of the same run: an
  // earlier attempt is this run; a later attempt than ours cannot be.
  if (sub.runAttempt !== undefined && !/^\d+$/.test(sub.runAttempt))
    why.push(`its run attempt ${JSON.stringify(sub.runAttempt)} is not a number`)
  else if (e.runAttempt && sub.runAttempt && Number(sub.runAttempt) > Number(e.runAttempt))
    why.push(`it is from attempt ${sub.runAttempt}, after this attempt ${e.runAttempt}`)
  return why
}

/**
 * One check that the reports are of one release. With a commit and run to compare with, each
 * stale report fails on its own and this check is left out; without them (a local run), the
 * reports must at least agree with each other: a mix of commits is a mix of releases.
 */
function subjectsCheck(files: ReportFile[], e: Expected): Check | undefined {
  const reports = files.flatMap((f) => (f.report ? [f.report] : []))
  if (reports.length === 0 || reports.some((r) => staleness(r, e).length > 0)) return undefined
  const problems: string[] = []
  const agreed = (key: 'sha' | 'runId', label: string): string | undefined => {
    const by = new Map<string, string[]>()
    for (const r of reports) {
      const v = r.subject[key] ?? '(none)'
      by.set(v, [...(by.get(v) ?? []), r.id])
    }
    const values = [...by]
    if (values.length > 1)
      problems.push(
        `${label}s disagree: ${values.map(([v, ids]) => `${key === 'sha' && v !== '(none)' ? short(v) : v} for ${ids.join(', ')}`).join('; ')}`,
      )
    return values.length === 1 && values[0][0] !== '(none)' ? values[0][0] : undefined
  }
  const sha = e.sha ?? agreed('sha', 'commit')
  const run = e.runId ?? agreed('runId', 'run')
  const expected = 'every report from one commit and one run'
  if (problems.length)
    return check(
      'fail',
      'commit and run',
      problems.join('; '),
      expected,
      `The reports are not from one release: ${problems.join('; ')}. Give \`sha\` to say which commit is being cut over, and decide on the reports of one run.`,
    )
  const attempts = [...new Set(reports.map((r) => r.subject.runAttempt).filter(Boolean))].sort()
  const observed = `commit ${sha ? short(sha) : 'not named'}, run ${run ?? 'not named'}${attempts.length ? `, attempt${attempts.length > 1 ? 's' : ''} ${attempts.join(', ')}` : ''}`
  const how =
    e.sha || e.runId ? 'as this run expects' : 'as the reports agree among themselves (no commit or run was given to compare with)'
  return check('pass', 'commit and run', observed, expected, `All ${reports.length} reports are about ${observed}, ${how}.`)
}

/** The gate's own one-line reason, as one sentence. */
function tailOf(r: Report): string {
  const t = r.summary
    .replace(`${r.id}: `, '')
    .replace(/^(PASS|WARN|FAIL):\s*/, '')
    .trim()
  const cut = t.length > 400 ? t.slice(0, 399) + '…' : t
  return /[.!?…)]$/.test(cut) ? cut : `${cut}.`
}

function judge(f: ReportFile, e: Expected, allowWarn: boolean, ctx: GateContext): Check {
  const location = { path: shown(ctx, f.file) }
  const expect = `a ${allowWarn ? 'pass or warn' : 'pass'} report${e.sha ? ` for commit ${short(e.sha)}` : ''}${e.runId ? ` from run ${e.runId}` : ''}`
  if (!f.report)
    return check(
      'fail',
      f.name,
      'unreadable report',
      expect,
      `${location.path} cannot be used: ${f.problem}. Remove it from the reports folder or run the gate that writes it again; an unreadable report is NO-GO.`,
      location,
    )
  const r = f.report
  const sub = r.subject
  const observed = `${r.status}, commit ${short(sub.sha)}, run ${sub.runId ?? 'none'}${sub.runAttempt ? ` attempt ${sub.runAttempt}` : ''}`
  const stale = staleness(r, e)
  if (stale.length)
    return check(
      'fail',
      r.id,
      `stale: ${observed}`,
      expect,
      `\`${r.id}\` is stale: ${stale.join('; ')}. Run the gate again in this run for this commit, then decide again.`,
      location,
    )
  const fromChecks = statusOf(r.checks)
  if (fromChecks !== r.status)
    return check(
      'fail',
      r.id,
      `says ${r.status}, checks say ${fromChecks}`,
      expect,
      `\`${r.id}\` says "${r.status}" but its ${r.checks.length} checks add up to "${fromChecks}": the report was edited after the gate wrote it. Run the gate again.`,
      location,
    )
  const earlier =
    e.runAttempt && sub.runAttempt && sub.runAttempt !== e.runAttempt ? ` (from attempt ${sub.runAttempt}, kept by this re-run)` : ''
  switch (r.status) {
    case 'pass':
      return check(
        'pass',
        r.id,
        observed,
        expect,
        `\`${r.id}\` (${r.gate}) passed ${r.checks.length} check${r.checks.length === 1 ? '' : 's'}${earlier}.`,
        location,
      )
    case 'warn':
      return allowWarn
        ? check('warn', r.id, observed, expect, `\`${r.id}\` warned, accepted by allow-warn${earlier}: ${tailOf(r)}`, location)
        : check(
            'fail',
            r.id,
            observed,
            expect,
            `\`${r.id}\` warned: ${tailOf(r)} NO-GO because \`allow-warn\` is false: fix what it warns about, or set \`allow-warn: true\` to accept warnings.`,
            location,
          )
    case 'fail':
      return check(
        'fail',
        r.id,
        observed,
        expect,
        `\`${r.id}\` failed: ${tailOf(r)} A failed gate is NO-GO, with no exceptions: fix it and run the gate again.`,
        location,
      )
  }
}

function requiredChecks(required: string[] | undefined, files: ReportFile[], dir: string, ctx: GateContext): Check[] {
  const present = new Set(files.map((f) => f.name))
  if (!required)
    return [
      check(
        'warn',
        'required gates',
        'none named',
        'the gate ids that must report',
        `No \`required\` gates were named: decide judged the ${files.length} report${files.length === 1 ? '' : 's'} it found, so a gate that never ran would go unnoticed. List the gate ids in \`required\`.`,
      ),
    ]
  const missing = required.filter((id) => !present.has(id))
  if (missing.length === 0)
    return [
      check(
        'pass',
        'required gates',
        `${required.length} of ${required.length} present`,
        `reports from ${required.join(', ')}`,
        `All ${required.length} required gates have a report.`,
      ),
    ]
  const have = [...present].sort()
  return missing.map((id) =>
    check(
      'fail',
      id,
      'no report',
      `${shown(ctx, path.join(dir, `${id}.json`))}`,
      `Required gate \`${id}\` has no report (${shown(ctx, path.join(dir, `${id}.json`))} is missing${have.length ? `; present: ${have.join(', ')}` : ''}). Run it before decide with \`report-dir: ${shown(ctx, dir)}\`, or correct the id in \`required\`.`,
    ),
  )
}

/**
 * The gate ledger, when the folder has one: its chain must hold, and each report must still be
 * the file its gate recorded there. The bundle pins its length and last hash.
 */
async function ledgerCheck(
  dir: string,
  files: ReportFile[],
  bundleFile: string,
  ctx: GateContext,
): Promise<{ check?: Check; pin?: LedgerPin }> {
  const file = path.join(dir, LEDGER_FILE)
  const exists = await stat(file).then(
    () => true,
    () => false,
  )
  if (!exists) return {}
  const where = shown(ctx, file)
  const name = 'ledger chain'
  const expected = 'an intact chain that records every report as it is'
  const l = await readLedger(file)
  if (l.problems.length) {
    const more = l.problems.length > 1 ? ` (+${l.problems.length - 1} more)` : ''
    return {
      check: check(
        'fail',
        name,
        `broken: ${l.problems.length} problem${l.problems.length === 1 ? '' : 's'}`,
        expected,
        `The gate ledger ${where} is broken: ${l.problems[0]}${more}. Evidence changed after the gates ran is NO-GO: keep the folder as evidence and run the gates again into a fresh one.`,
        { path: where },
      ),
    }
  }
  const latest = latestById(l.records)
  const changed = files.flatMap((f) => {
    const rec = latest.get(f.name)
    return rec && rec.reportSha256 !== f.sha256 ? [`\`${f.name}\` (recorded as seq ${rec.seq})`] : []
  })
  if (changed.length)
    return {
      check: check(
        'fail',
        name,
        `${changed.length} report${changed.length === 1 ? '' : 's'} differ from the ledger`,
        expected,
        changed.length === 1
          ? `The report ${changed[0]} is not the file its gate recorded in ${where}: it was changed after the gate wrote it. Run that gate again.`
          : `The reports ${changed.join(', ')} are not the files their gates recorded in ${where}: they were changed after the gates wrote them. Run those gates again.`,
        { path: where },
      ),
    }
  const pin: LedgerPin = { file: relativeToBundle(bundleFile, file), lastHash: l.lastHash ?? '', records: l.records.length }
  return {
    pin,
    check: check(
      'pass',
      name,
      `${l.records.length} records, last ${pin.lastHash.slice(0, 12)}`,
      expected,
      `The gate ledger ${where} holds an intact chain of ${l.records.length} records, and every report it names is the file it recorded.`,
      { path: where },
    ),
  }
}

// ---------------------------------------------------------------------------------------------
// Signing, approvals, the bundle

async function prepareSigner(s: Settings, ctx: GateContext): Promise<{ signer?: Signer; check: Check }> {
  const name = 'bundle signature'
  const expected = 'a bundle signed with `signing-key` or `hmac-key`'
  if (s['signing-key'] && s['hmac-key'])
    return {
      check: check(
        'fail',
        name,
        'both keys given',
        expected,
        'Both `signing-key` and `hmac-key` were given: give one, so the bundle has one signature a verifier can check. The bundle was written unsigned.',
      ),
    }
  try {
    if (s['signing-key']) {
      const { pem, label } = await readPem(s['signing-key'], ctx.cwd, 'signing-key')
      const signer = privateKeySigner(pem, label)
      return {
        signer,
        check: check(
          'pass',
          name,
          `${ALG_NAMES[signer.alg]}, key ${signer.keyId}`,
          expected,
          `The bundle is signed with ${ALG_NAMES[signer.alg]} (key ${signer.keyId}).`,
        ),
      }
    }
    if (s['hmac-key']) {
      const signer = hmacSigner(s['hmac-key'])
      return { signer, check: check('pass', name, 'HMAC-SHA256', expected, 'The bundle is signed with HMAC-SHA256.') }
    }
  } catch (err) {
    if (!(err instanceof KeyError)) throw err
    return {
      check: check(
        'fail',
        name,
        'unusable key',
        expected,
        `The bundle could not be signed: ${err.message}. It was written unsigned, so it is NO-GO.`,
      ),
    }
  }
  return {
    check: check(
      'warn',
      name,
      'unsigned',
      expected,
      'The bundle is unsigned, so nobody can tell later whether it was edited: give `signing-key` (a PEM private key) or `hmac-key` (from a secret).',
    ),
  }
}

async function loadApprovals(value: string | undefined, ctx: GateContext): Promise<{ records: unknown[]; file?: string; check?: Check }> {
  if (value === undefined || value === '') return { records: [] }
  const inline = /^[[{]/.test(value)
  const file = inline ? undefined : path.resolve(ctx.cwd, value)
  const where = file ? `the approvals file ${shown(ctx, file)}` : 'the inline `approvals`'
  const result = (status: 'pass' | 'fail', observed: string, message: string, records: unknown[] = []) => ({
    records,
    file,
    check: check(status, 'recorded approvals', observed, APPROVALS_FORM, message),
  })
  const refuse = (observed: string, why: string) =>
    result(
      'fail',
      observed,
      `${where} ${why}, so the approvals asked for cannot be recorded: NO-GO. Give ${APPROVALS_FORM} (e.g. approval-guard's output).`,
    )
  let text = value
  if (file) {
    try {
      const info = await stat(file)
      if (info.size > MAX_APPROVALS_BYTES)
        return refuse('too large', `is ${info.size} bytes, more than approvals take (${MAX_APPROVALS_BYTES})`)
      text = await readFile(file, 'utf8')
    } catch (err) {
      return refuse(fsProblem(err), fsProblem(err))
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return refuse('not JSON', 'is not valid JSON')
  }
  const records = approvalRecords(parsed)
  if (typeof records === 'string') return refuse('not approval records', `cannot be recorded: ${records}`)
  const n = `${records.length} approval${records.length === 1 ? '' : 's'}`
  return result('pass', n, `Recorded ${n} from ${where}.`, records)
}

function bundleSubject(ctx: GateContext, e: Expected): BundleSubject {
  const s = subjectFromEnv(ctx.env, e.sha)
  const out: BundleSubject = {
    repository: s.repository,
    sha: s.sha,
    ref: s.ref,
    runId: s.runId ?? e.runId,
    runAttempt: s.runAttempt,
    actor: s.actor ?? ctx.github?.actor,
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as BundleSubject
}

function bundleEntry(f: ReportFile, bundleFile: string): BundleReport {
  const file = relativeToBundle(bundleFile, f.file)
  if (!f.report) return { id: f.name, file, sha256: f.sha256, status: 'fail', problem: f.problem }
  const r = f.report
  return { id: r.id, file, sha256: f.sha256, status: r.status, gate: r.gate, startedAt: r.startedAt, finishedAt: r.finishedAt }
}

// ---------------------------------------------------------------------------------------------
// What people see

type Lookup = (gate: string) => GateInfo | undefined

/** Category and criteria of the gate that wrote a report, from the registry. */
async function gateInfoLookup(): Promise<Lookup> {
  // Imported when needed: the registry imports this gate, so a static import would be a cycle.
  const { gates } = await import('./index.js')
  const all = Object.values(gates) as { name: string; category: string; criteria: { en: string; tr: string } }[]
  return (gate) => {
    const g = (gates as Record<string, (typeof all)[number]>)[gate] ?? all.find((x) => x.name === gate)
    return g ? { category: g.category, criteria: g.criteria } : undefined
  }
}

interface DetailsInput {
  checks: Check[]
  files: ReportFile[]
  bundle: Bundle
  decidedAt: Date
  finalDecision: 'GO' | 'NO-GO'
  bundleOutput: string
  digest: string
  skipped: { file: string; why: string }[]
  ctx: GateContext
  info: Lookup
}

function renderDetails(d: DetailsInput): string {
  const { bundle } = d
  const reports = new Map(d.files.map((f) => [f.name, f.report?.gate]))
  const rows = decisionRows(d.checks, reports, d.info)
  const go = d.finalDecision === 'GO'
  const sub = bundle.subject
  const sig = bundle.signature
  const out = [
    `### Go/No-Go decision: ${go ? (bundle.status === 'warn' ? '⚠️ GO with warnings' : '✅ GO') : '❌ NO-GO'}`,
    '',
    [
      sub.sha ? `commit \`${short(sub.sha)}\`` : 'no commit named',
      sub.runId ? `run ${sub.runId}${sub.runAttempt ? ` attempt ${sub.runAttempt}` : ''}` : undefined,
      `decided ${bundle.decidedAt}`,
    ]
      .filter(Boolean)
      .join(' · '),
    '',
    renderDecisionMarkdown(rows, 'en'),
    '',
    renderFinalDecision(go, 'en'),
    '',
    `**Decision maker:** decide${sub.actor ? `, run by @${sub.actor}` : ''} · **Signature:** ${sig ? `${ALG_NAMES[sig.alg]}${sig.keyId ? ` ${sig.keyId}` : ''}` : 'unsigned'} · **Date/Time:** ${bundle.decidedAt}`,
    '',
    d.bundleOutput
      ? `**Evidence bundle:** \`${d.bundleOutput}\` (${d.digest}); check it with \`cutover bundle verify ${d.bundleOutput}\`.`
      : '**Evidence bundle:** not written.',
  ]
  const tasks = d.files.flatMap((f) =>
    f.report
      ? [
          {
            id: f.report.id,
            section: d.info(f.report.gate)?.category ?? 'Other',
            start: new Date(f.report.startedAt),
            finish: new Date(f.report.finishedAt),
            status: f.report.status,
          },
        ]
      : [],
  )
  if (tasks.length) out.push('', renderGantt(tasks, d.decidedAt, d.finalDecision))
  if (bundle.approvals.length)
    out.push('', `**Recorded approvals (${bundle.approvals.length}):**`, '', ...approvalsMarkdown(bundle.approvals))
  if (d.skipped.length)
    out.push('', `Left out of the decision: ${d.skipped.map((x) => `\`${shown(d.ctx, x.file)}\` (${x.why})`).join(', ')}.`)
  return out.join('\n')
}

/** approval-guard's records ({user, state, comment, environments, recordedAt}) as a table; anything else as JSON lines. */
function approvalsMarkdown(records: unknown[]): string[] {
  const shown = records.slice(0, 50) as Record<string, unknown>[]
  const more = records.length > shown.length ? [`… and ${records.length - shown.length} more in the bundle.`] : []
  const text = (v: unknown) =>
    cell(Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v), 200)
  if (!shown.every((a) => typeof a.user === 'string'))
    return [...shown.map((a) => `- \`${JSON.stringify(a).slice(0, 300).replace(/`/g, "'")}\``), ...more]
  return [
    '| Approver | State | Environments | Comment | Recorded at |',
    '|---|---|---|---|---|',
    ...shown.map(
      (a) =>
        `| @${text(a.user)} | ${text(a.state)} | ${text(a.environments ?? a.environment)} | ${text(a.comment)} | ${text(a.recordedAt ?? a.at)} |`,
    ),
    ...more,
  ]
}
