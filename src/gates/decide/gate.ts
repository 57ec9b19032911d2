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
import path from 'node:path'
import { resolveDecision } from '../../core/config.js'
import { NotRegularFileError, TooLargeError, readRegularFile } from '../../core/files.js'
import { verdict, type DecisionSettings } from '../../core/verdict.js'
import { defineGate, type GateRunContext } from '../../core/gate.js'
import { type Settings as InputSettings } from '../../core/inputs.js'
import { GENESIS, LEDGER_FILE } from '../../core/ledger.js'
import { subjectFromEnv, type Report } from '../../core/report.js'
import { check, statusOf, type Check } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { runContext } from '../../core/run-context.js'
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
} from './bundle.js'
import { chainHead, latestById, linkLedgers, readLedger, recordedIds } from './ledger.js'
import { errorCode, fsProblem } from '../../lib/errno.js'
import { MAX_REPORT_BYTES, classify, readReportDir, sha256Hex, type ReportDir, type ReportFile } from './reports.js'
import { KeyError, hmacSigner, privateKeySigner, readPem, ALG_NAMES, type Signer } from './sign.js'
import { globEntries, isGlob } from '../../lib/glob.js'
import { APPROVALS_FORM, MAX_APPROVALS_BYTES, approvalRecords, decideInputs, decideAction } from './spec.js'
import { gateInfoLookup, renderDetails, short, shown } from './report.js'
import { PREDICATE_TYPE, buildStatement, envelopePathFor, signEnvelope, writeEnvelope, type ResourceDescriptor } from './attest.js'
import type { KeyObject } from 'node:crypto'

export { decideInputs } from './spec.js'

type Settings = InputSettings<typeof decideInputs>

export const decide = defineGate({
  name: 'decide',
  category: 'Ops',
  criteria: { en: 'Go/No-Go decision', tr: 'GO/NO-GO Kararı' },
  ...decideAction,
  inputs: decideInputs,
  outputs: {
    decision: '`GO` or `NO-GO`.',
    bundle: 'Path of the evidence bundle (`cutover-summary.json`).',
    digest: 'SHA-256 of the bundle file, written `sha256:<hex>`.',
    attestation:
      'Path of the DSSE envelope of the in-toto statement of the decision (`<bundle>.intoto.json`), written when `signing-key` signs the bundle; empty otherwise.',
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

function expectation(s: Settings, ctx: GateRunContext): Expected {
  const env = ctx.env
  return {
    sha: (s.sha ?? ctx.github?.sha ?? runContext(env).sha)?.toLowerCase(),
    runId: env.GITHUB_RUN_ID ?? (ctx.github?.runId !== undefined ? String(ctx.github.runId) : undefined),
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    repository: env.GITHUB_REPOSITORY,
  }
}

/** The decision settings: explicit inputs first, then the config's `decide:` block, then the defaults. */
async function decisionSettings(s: Settings, ctx: GateRunContext): Promise<{ settings: DecisionSettings; check?: Check }> {
  const { settings, problem } = await resolveDecision(
    { config: s.config, allowWarn: s['allow-warn'], required: s.required, maxReportAgeMs: s['max-report-age'] },
    ctx.cwd,
  )
  if (!problem) return { settings }
  return {
    settings,
    check: check(
      'fail',
      'decision settings',
      'config unusable',
      'the `decide:` block of `config`',
      `The decision settings could not be read: ${problem}. Without them the rule is unknown, so it is NO-GO.`,
    ),
  }
}

/** The folders `reports` names, globs expanded (sorted, folders only). */
async function reportFolders(entries: string[], ctx: GateRunContext): Promise<{ dirs: string[]; checks: Check[] }> {
  const dirs: string[] = []
  const checks: Check[] = []
  for (const entry of entries) {
    if (!isGlob(entry)) {
      dirs.push(path.resolve(ctx.cwd, entry))
      continue
    }
    const found = (await globEntries(entry, ctx.cwd, ctx.fs)).filter((m) => m.kind === 'folder').map((m) => m.abs)
    if (found.length === 0)
      checks.push(
        check(
          'fail',
          'reports folder',
          `\`${entry}\` matches no folder`,
          'a folder of gate reports',
          `\`reports\` names \`${entry}\`, which matches no folder: there is nothing to decide on there, so it is NO-GO. Download the report artifacts first, or correct the pattern.`,
        ),
      )
    dirs.push(...found.sort())
  }
  return { dirs: [...new Set(dirs)], checks }
}

async function decideRun(s: Settings, ctx: GateRunContext) {
  const expected = expectation(s, ctx)
  const checks: Check[] = []
  const { settings, check: settingsProblem } = await decisionSettings(s, ctx)
  if (settingsProblem) checks.push(settingsProblem)
  const rule = { allowWarn: settings.allowWarn }
  const folders = await reportFolders(s.reports, ctx)
  checks.push(...folders.checks)
  const bundleFile = path.resolve(ctx.cwd, s.bundle || path.join(folders.dirs[0] ?? s.reports[0], DEFAULT_BUNDLE_NAME))

  const signing = await prepareSigner(s, ctx)
  const approvals = await loadApprovals(s.approvals, ctx)
  const binding = await approvalBinding(s, expected, approvals.records, ctx)
  const attested = await attestSubjects(s['attest-subjects'] ?? [], ctx)
  const envelopeFile = envelopePathFor(bundleFile)

  const skip = new Set(approvals.file ? [approvals.file] : [])
  const dirs = await Promise.all(folders.dirs.map((d) => readReportDir(d, skip, ctx.fs)))
  // decide's own report (this run's, or an earlier decide's) is not a gate of the cutover.
  const all = dirs.flatMap((d) => d.files)
  const files = all.filter((f) => f.report?.gate !== 'decide')
  const skipped = [
    ...dirs.flatMap((d) => d.skipped),
    ...all.filter((f) => f.report?.gate === 'decide').map((f) => ({ file: f.file, why: 'it is a decide report', sha256: f.sha256 })),
  ]
  ctx.log(
    `decide: read ${files.length} report file${files.length === 1 ? '' : 's'} in ${dirs.map((d) => shown(ctx, d.dir)).join(', ')}${skipped.length ? ` (left out ${skipped.length}: ${skipped.map((x) => path.basename(x.file)).join(', ')})` : ''}`,
  )

  for (const d of dirs)
    checks.push(
      folderCheck(
        ctx,
        d.dir,
        d.problem,
        d.files.filter((f) => f.report?.gate !== 'decide'),
      ),
    )
  const subjects = subjectsCheck(files, expected)
  if (subjects) checks.push(subjects)
  const now = ctx.now()
  for (const f of files) checks.push(judge(f, expected, settings, now, ctx))
  checks.push(...requiredChecks(settings, files, folders.dirs[0] ?? s.reports[0], ctx))
  const pins: LedgerPin[] = []
  for (const d of dirs) {
    if (d.problem) continue
    const custody = await custodyCheck(d, bundleFile, ctx)
    checks.push(custody.check)
    if (custody.pin) pins.push(custody.pin)
  }
  const chain = ledgerChain(s['ledger-chain'], pins)
  if (chain.check) checks.push(chain.check)
  const target = await bundleTargetProblem(bundleFile, dirs, approvals.file, ctx)
  if (approvals.check) checks.push(approvals.check)
  if (binding.check) checks.push(binding.check)
  if (attested.check) checks.push(attested.check)
  if (signing.check) checks.push(signing.check)
  if (target) checks.push(target)
  if (signing.signer?.key && !expected.sha)
    checks.push(
      check(
        'fail',
        'in-toto attestation',
        'no release commit',
        'the release commit as the statement subject',
        'The decision cannot be attested: no release commit is known (give `sha`, or run in a workflow where GITHUB_SHA is set), and an in-toto statement names what it is about. NO-GO.',
      ),
    )

  // The decision, before the bundle that records it.
  const decidedAt = ctx.now()
  const status = statusOf(checks)
  const decision = verdict(
    checks.map((c) => c.status),
    rule,
  ).decision
  const reports: BundleReport[] = files.map((f) => bundleEntry(f, bundleFile))
  const parsed = files.filter((f): f is ReportFile & { report: Report } => f.report !== undefined)
  const unsigned: Omit<Bundle, 'signature'> = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    subject: bundleSubject(ctx, expected),
    decision,
    status,
    decidedAt: decidedAt.toISOString(),
    rule: {
      allowWarn: settings.allowWarn,
      maxReportAgeMs: settings.maxReportAgeMs,
      ...(settings.required ? { required: settings.required } : {}),
    },
    reasons: checks.filter((c) => c.status !== 'pass').map((c) => c.message),
    reports,
    timeline: parsed
      .map((f) => ({ id: f.report.id, start: f.report.startedAt, finish: f.report.finishedAt, status: f.report.status }))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id)),
    approvals: approvals.records,
    ledgers: chain.pins,
    ...(chain.head ? { chainHead: chain.head } : {}),
    ...(binding.approval ? { approval: binding.approval } : {}),
    ...(signing.signer?.key ? { attestation: { file: relativeToBundle(bundleFile, envelopeFile), predicateType: PREDICATE_TYPE } } : {}),
  }
  // Masked before signing, as the report is: the bundle's reasons are the report's own sentences.
  const bundle = signBundle(ctx.redact ? ctx.redact(unsigned) : unsigned, signing.signer)

  let digest = ''
  let bundleOutput = ''
  let attestationOutput = ''
  if (target) {
    ctx.log(`decide: the bundle was not written: ${target.message}`)
  } else {
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
      if (signing.signer?.key && expected.sha) {
        const envelope = await attest(bundle, bundleFile, envelopeFile, digest, signing.signer.key, attested.artifacts, s.config, ctx)
        checks.push(envelope.check)
        attestationOutput = envelope.output
      }
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
  }
  const final = verdict(
    checks.map((c) => c.status),
    rule,
  )
  const finalDecision = final.decision
  const reasons = checks.filter((c) => c.status !== 'pass').length
  ctx.log(`decide: ${final.label} (${reasons} reason${reasons === 1 ? '' : 's'})`)
  if (!signing.signer && !signing.check)
    ctx.log('decide: the bundle is unsigned; give `signing-key` (a PEM private key) or `hmac-key` so an edit to it can be detected')

  const info = gateInfoLookup(ctx)
  const { headline, details } = renderDetails({ checks, files, bundle, decidedAt, finalDecision, bundleOutput, digest, skipped, ctx, info })
  const metrics = {
    reports: files.length,
    passed: parsed.filter((f) => f.report.status === 'pass').length,
    warned: parsed.filter((f) => f.report.status === 'warn').length,
    failed: parsed.filter((f) => f.report.status === 'fail').length,
    reasons: checks.filter((c) => c.status === 'fail').length,
  }
  return {
    checks,
    metrics,
    headline,
    details,
    outputs: { decision: finalDecision, bundle: bundleOutput, digest, attestation: attestationOutput },
  }
}

// ---------------------------------------------------------------------------------------------
// Judging the reports

function folderCheck(ctx: GateRunContext, dir: string, problem: string | undefined, files: ReportFile[]): Check {
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
  // Freshness is established by the commit and run a report names; with neither, nothing ties it
  // to this cutover, whatever its time says (a laptop run records them when GITHUB_SHA and
  // GITHUB_RUN_ID are set).
  if (!sub.sha && !sub.runId)
    why.push(
      `it names no commit and no workflow run, so nothing ties it to this cutover${e.sha ? ` (${short(e.sha)})` : ''}; the gates record them from GITHUB_SHA and GITHUB_RUN_ID`,
    )
  else {
    if (e.sha) {
      if (!sub.sha) why.push(`it names no commit, and this cutover is for ${short(e.sha)}`)
      else if (sub.sha.toLowerCase() !== e.sha)
        why.push(
          short(sub.sha.toLowerCase()) === short(e.sha)
            ? // Abbreviated, padded or otherwise not the full SHA: say so, rather than show two equal-looking prefixes.
              `it names commit ${JSON.stringify(sub.sha)}, not the full SHA ${e.sha}`
            : `it is from commit ${short(sub.sha)}, not ${short(e.sha)}`,
        )
    }
    if (e.runId) {
      if (!sub.runId) why.push(`it names no workflow run, and this is run ${e.runId}`)
      else if (sub.runId !== e.runId) why.push(`it is from workflow run ${sub.runId}, not this run ${e.runId}`)
    }
  }
  // A re-run keeps the reports of jobs that succeeded in earlier attempts of the same run: an
  // earlier attempt is this run; a later attempt than ours cannot be.
  if (sub.runAttempt !== undefined && !/^\d+$/.test(sub.runAttempt))
    why.push(`its run attempt ${JSON.stringify(sub.runAttempt)} is not a number`)
  else if (e.runAttempt && sub.runAttempt && Number(sub.runAttempt) > Number(e.runAttempt))
    why.push(`it is from attempt ${sub.runAttempt}, after this attempt ${e.runAttempt}`)
  return why
}

/** A clock a few minutes apart between runners is normal; a report from further ahead is not. */
const CLOCK_SKEW_MS = 5 * 60_000

/** Why a report is too old (or from the future) to count, judged by when it finished. */
function ageProblems(r: Report, maxAgeMs: number, now: Date): string[] {
  const finished = Date.parse(r.finishedAt)
  const age = now.getTime() - finished
  if (age > maxAgeMs)
    return [`it finished ${formatDuration(age)} ago (${r.finishedAt}), longer ago than \`max-report-age\` (${formatDuration(maxAgeMs)})`]
  if (-age > CLOCK_SKEW_MS)
    return [`it says it finished at ${r.finishedAt}, ${formatDuration(-age)} in the future: its clock or its contents are wrong`]
  return []
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

function judge(f: ReportFile, e: Expected, settings: DecisionSettings, now: Date, ctx: GateRunContext): Check {
  const allowWarn = settings.allowWarn
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
  const stale = [...staleness(r, e), ...ageProblems(r, settings.maxReportAgeMs, now)]
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

function requiredChecks(settings: DecisionSettings, files: ReportFile[], dir: string, ctx: GateRunContext): Check[] {
  const required = settings.required
  const present = new Set(files.map((f) => f.name))
  if (!required)
    return [
      check(
        settings.allowWarn ? 'warn' : 'fail',
        'required gates',
        'none named',
        'the gate ids that must report',
        `No \`required\` gates were named (in \`required\` or the config's \`decide.required\`): decide judged the ${files.length} report${files.length === 1 ? '' : 's'} it found, so a gate that never ran would go unnoticed.${settings.allowWarn ? ' Accepted by allow-warn.' : ' NO-GO until they are named (or `allow-warn` accepts this).'} List the gate ids in \`required\`.`,
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
 * The chain of custody of one folder: its ledger is the record of what ran. It must exist and
 * hold; every report in the folder must be the file its gate recorded last (no report without a
 * record); and every gate the ledger recorded must still have its report (no record without a
 * report: a deleted failure is not a pass). The bundle pins its length and last hash.
 */
async function custodyCheck(d: ReportDir, bundleFile: string, ctx: GateRunContext): Promise<{ check: Check; pin?: LedgerPin }> {
  const file = path.join(d.dir, LEDGER_FILE)
  const where = shown(ctx, file)
  const name = 'ledger chain'
  const expected = 'an intact ledger that records every report in the folder, and a report for every record'
  const fail = (observed: string, message: string) => ({ check: check('fail', name, observed, expected, message, { path: where }) })
  const l = await readLedger(file)
  if (l.missing)
    return fail(
      'no ledger',
      `${shown(ctx, d.dir)} has no ${LEDGER_FILE}: nothing records which gates ran there, so a report could have been added or a failure removed unnoticed. NO-GO. Keep each job's ledger with its reports (every gate appends to it), and run the gates again into a fresh folder if it was lost.`,
    )
  if (l.problems.length) {
    const more = l.problems.length > 1 ? ` (+${l.problems.length - 1} more)` : ''
    return fail(
      `broken: ${l.problems.length} problem${l.problems.length === 1 ? '' : 's'}`,
      `The gate ledger ${where} is broken: ${l.problems[0]}${more}. Evidence changed after the gates ran is NO-GO: keep the folder as evidence and run the gates again into a fresh one.`,
    )
  }
  const latest = latestById(l.records)
  const inFolder = new Map<string, string>()
  for (const f of d.files) inFolder.set(f.name, f.sha256)
  for (const x of d.skipped) inFolder.set(path.basename(x.file).slice(0, -'.json'.length), x.sha256)
  const problems: string[] = []
  for (const f of d.files) {
    const rec = latest.get(f.name)
    if (!rec) problems.push(`\`${f.name}\` was never recorded: it was copied in, not written by a gate here`)
    else if (rec.reportSha256 !== f.sha256)
      problems.push(`\`${f.name}\` is not the file its gate recorded (seq ${rec.seq}): it changed after the gate wrote it`)
  }
  for (const [id, rec] of latest) {
    const sha = inFolder.get(id)
    if (sha === undefined)
      problems.push(
        `\`${id}\` was recorded as ${rec.status.toUpperCase()} (seq ${rec.seq}, ${rec.time}) but its report ${id}.json is gone: a report was deleted`,
      )
    else if (!d.files.some((f) => f.name === id) && sha !== rec.reportSha256)
      problems.push(`\`${id}\` (recorded as ${rec.status.toUpperCase()}, seq ${rec.seq}) was replaced by a file that is not its report`)
  }
  if (problems.length) {
    const shownProblems = problems.slice(0, 5).join('; ')
    const more = problems.length > 5 ? ` (+${problems.length - 5} more)` : ''
    return fail(
      `${problems.length} report${problems.length === 1 ? '' : 's'} disagree with the ledger`,
      `The reports in ${shown(ctx, d.dir)} are not what ${where} recorded: ${shownProblems}${more}. That is NO-GO: run the gates again into a fresh folder.`,
    )
  }
  const pin: LedgerPin = {
    file: relativeToBundle(bundleFile, file),
    lastHash: l.lastHash ?? '',
    records: l.records.length,
    prev: l.start ?? GENESIS,
  }
  return {
    pin,
    check: check(
      'pass',
      name,
      `${l.records.length} records, last ${pin.lastHash.slice(0, 12)}`,
      expected,
      `The gate ledger ${where} holds an intact chain of ${l.records.length} records; every report in the folder is the file it recorded, and every recorded gate has its report.`,
      { path: where },
    ),
  }
}

/**
 * The run's one chain. Linked (`ledger-chain: linked`, or `auto` when any ledger continues
 * another's head): the ledgers must form one line from 64 zeros, each job's first record naming
 * the last hash of the job before it, and the head of the run is the last job's last hash, into
 * which every record of every job is chained. Separate: each ledger starts its own chain, and
 * the head hashes their heads together (the bundles of before the chain across jobs).
 */
function ledgerChain(mode: 'auto' | 'linked' | 'separate', pins: LedgerPin[]): { pins: LedgerPin[]; head?: string; check?: Check } {
  if (pins.length === 0) return { pins }
  const name = 'ledger links'
  const continuing = pins.filter((p) => p.prev !== GENESIS)
  const linked = mode === 'linked' || (mode === 'auto' && continuing.length > 0)
  if (!linked) {
    const separate = pins.map(({ prev: _p, ...rest }) => rest)
    if (continuing.length === 0) return { pins: separate, head: chainHead(separate) }
    return {
      pins: separate,
      head: chainHead(separate),
      check: check(
        'fail',
        name,
        `${continuing.length} ledger${continuing.length === 1 ? '' : 's'} continue another`,
        'ledgers that each start their own chain (`ledger-chain: separate`)',
        `${continuing.map((p) => p.file).join(', ')} continue${continuing.length === 1 ? 's' : ''} the head of another ledger, but \`ledger-chain: separate\` judges each ledger as a chain of its own, so the records before ${continuing.length === 1 ? 'it' : 'them'} cannot be accounted for: NO-GO. Set \`ledger-chain: linked\` to judge the run's ledgers as one chain.`,
      ),
    }
  }
  const { order, problems } = linkLedgers(pins)
  const head = order[order.length - 1].lastHash
  const expected = "one chain: the first job's ledger starts it, each later job's continues the one before"
  if (problems.length)
    return {
      pins: order,
      head,
      check: check(
        'fail',
        name,
        `${problems.length} break${problems.length === 1 ? '' : 's'} between the ledgers`,
        expected,
        `The ${pins.length} ledgers of the run are not one chain: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}. A job's records were removed, reordered or added, or a job's evidence is missing: NO-GO.`,
      ),
    }
  return {
    pins: order,
    head,
    check: check(
      'pass',
      name,
      `${order.length} ledger${order.length === 1 ? '' : 's'}, head ${head.slice(0, 12)}`,
      expected,
      `The ${order.length} ledger${order.length === 1 ? ' is' : 's are'} one chain (${order.map((p) => p.file).join(' → ')}), ending at ${head}.`,
    ),
  }
}

/** Why decide must not write the bundle where `bundle` points, or nothing when it may. */
async function bundleTargetProblem(
  bundleFile: string,
  dirs: ReportDir[],
  approvalsFile: string | undefined,
  ctx: GateRunContext,
): Promise<Check | undefined> {
  const where = shown(ctx, bundleFile)
  const refuse = (why: string) =>
    check(
      'fail',
      'evidence bundle',
      `not written: ${why}`,
      'a bundle path that holds no evidence',
      `The evidence bundle was not written: \`bundle\` names ${where}, ${why}. decide never overwrites evidence, so it is NO-GO; give \`bundle\` a path of its own (the default is cutover-summary.json in the reports folder).`,
    )
  if (approvalsFile && path.resolve(approvalsFile) === bundleFile) return refuse('which is the approvals file')
  if (path.basename(bundleFile) === LEDGER_FILE) return refuse('which is the gate ledger')
  if (path.basename(bundleFile) === `${LEDGER_FILE}.lock`) return refuse("which is the gate ledger's lock")
  for (const d of dirs)
    if (path.dirname(bundleFile) === d.dir && d.files.some((f) => f.file === bundleFile))
      return refuse('which is a gate report of the folder')
  // A report reshaped to look like a bundle is still the file its gate recorded: the ledger beside
  // it says so, whatever the file now holds (and whether or not its folder is in `reports`).
  const id = path.basename(bundleFile).endsWith('.json') ? path.basename(bundleFile).slice(0, -'.json'.length) : undefined
  if (id && (await recordedIds(path.join(path.dirname(bundleFile), LEDGER_FILE))).has(id))
    return refuse(`which the ledger records as the report of \`${id}\``)
  let bytes: Buffer
  try {
    bytes = await readRegularFile(bundleFile, MAX_REPORT_BYTES, ctx.fs)
  } catch (err) {
    if (err instanceof NotRegularFileError) return refuse(`which is ${err.kind}`)
    if (err instanceof TooLargeError) return refuse('which is larger than any bundle')
    // Nothing there (or nothing readable): the write itself says what is wrong with the path.
    return undefined
  }
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return refuse('which holds something other than a bundle')
  }
  const c = classify(value)
  if ('bundle' in c) return undefined
  return refuse('report' in c ? `which is the gate report \`${c.report.id}\`` : 'which holds something other than a bundle')
}

// ---------------------------------------------------------------------------------------------
// Signing, approvals, the bundle

/** The signer, and a check when one was asked for (an unsigned bundle is stated in the summary, not judged). */
async function prepareSigner(s: Settings, ctx: GateRunContext): Promise<{ signer?: Signer; check?: Check }> {
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
      return {
        signer,
        check: check(
          'pass',
          name,
          'HMAC-SHA256 (shared secret)',
          expected,
          'The bundle is signed with HMAC-SHA256, a shared secret: only a holder of that secret can check it, so no in-toto attestation was written (a third party could not verify it). Use `signing-key` (Ed25519, ECDSA P-256 or RSA) wherever an asymmetric key is possible.',
        ),
      }
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
  return {}
}

async function loadApprovals(
  value: string | undefined,
  ctx: GateRunContext,
): Promise<{ records: unknown[]; file?: string; check?: Check }> {
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
      text = (await readRegularFile(file, MAX_APPROVALS_BYTES, ctx.fs)).toString('utf8')
    } catch (err) {
      if (err instanceof NotRegularFileError) return refuse(err.kind, `is ${err.kind}, not a file`)
      if (err instanceof TooLargeError)
        return refuse('too large', `is ${err.size} bytes, more than approvals take (${MAX_APPROVALS_BYTES})`)
      return refuse(fsProblem(err), fsProblem(err))
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return refuse('not JSON', 'is not valid JSON')
  }
  const c = classify(parsed)
  if ('report' in c)
    return refuse(
      'a gate report',
      `is the gate report \`${c.report.id}\`, not approvals: a report is never counted as an approval (it is judged as the report it is)`,
    )
  const records = approvalRecords(parsed)
  if (typeof records === 'string') return refuse('not approval records', `cannot be recorded: ${records}`)
  const n = `${records.length} approval${records.length === 1 ? '' : 's'}`
  return result('pass', n, `Recorded ${n} from ${where}.`, records)
}

function bundleSubject(ctx: GateRunContext, e: Expected): BundleSubject {
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
// Attestation and what was approved

const DIGEST = /^sha256:[0-9a-f]{64}$/
/** A pre-flight bundle is a bundle: KiBs to a few MiB. */
const MAX_PREFLIGHT_BYTES = 64 * 1024 * 1024

/**
 * The approval bound to the evidence: the reviewers approved the digest of one pre-flight
 * decision, and this run must have gone on with exactly that file. A pre-flight re-run with
 * other reports after the approval has another digest, so what was approved is not what is
 * promoted: NO-GO.
 */
async function approvalBinding(
  s: Settings,
  e: Expected,
  records: unknown[],
  ctx: GateRunContext,
): Promise<{ approval?: NonNullable<Bundle['approval']>; check?: Check }> {
  const name = 'approved is promoted'
  const approved = s['approved-digest']?.trim() || undefined
  const preflight = s['preflight-bundle']?.trim() || undefined
  const expectedText = 'the pre-flight decision the reviewers approved, byte for byte'
  const fail = (observed: string, message: string) => ({ check: check('fail', name, observed, expectedText, message) })
  const recorded = records
    .map((r) => (r as { approvedDigest?: unknown }).approvedDigest)
    .filter((d): d is string => typeof d === 'string' && d !== '')
  if (!approved && !preflight) {
    if (recorded.length === 0) return {}
    return fail(
      'nothing to compare with',
      `The approvals name the pre-flight decision they approved (${recorded[0].slice(0, 19)}…), but neither \`preflight-bundle\` nor \`approved-digest\` was given, so whether the run went on with that decision is unknown: NO-GO. Give both.`,
    )
  }
  if (!approved || !preflight)
    return fail(
      `only \`${approved ? 'approved-digest' : 'preflight-bundle'}\` given`,
      `\`${approved ? 'approved-digest' : 'preflight-bundle'}\` was given without \`${approved ? 'preflight-bundle' : 'approved-digest'}\`: an approval is bound to the evidence only by comparing the digest approved with the pre-flight bundle the run went on with. NO-GO: give both.`,
    )
  if (!DIGEST.test(approved))
    return fail(
      'not a digest',
      `\`approved-digest\` must be \`sha256:\` and 64 lowercase hex digits (decide's \`digest\` output), but it holds ${approved.length > 80 ? `${approved.length} characters` : JSON.stringify(approved)}: NO-GO.`,
    )
  const file = path.resolve(ctx.cwd, preflight)
  let bytes: Buffer
  try {
    bytes = await readRegularFile(file, MAX_PREFLIGHT_BYTES, ctx.fs)
  } catch (err) {
    const why =
      err instanceof NotRegularFileError ? `is ${err.kind}` : err instanceof TooLargeError ? 'is larger than any bundle' : fsProblem(err)
    return fail(
      'pre-flight bundle unreadable',
      `The pre-flight bundle ${shown(ctx, file)} ${why}, so what was approved cannot be compared with what is promoted: NO-GO.`,
    )
  }
  const promoted = `sha256:${sha256Hex(bytes)}`
  const approval = { approvedDigest: approved, promotedDigest: promoted, preflight: shown(ctx, file) }
  const other = recorded.find((d) => d !== approved)
  if (other)
    return {
      approval,
      ...fail(
        'approvals disagree',
        `An approval records the pre-flight decision ${other}, but \`approved-digest\` is ${approved}: the approvals are not of one decision. NO-GO.`,
      ),
    }
  if (promoted !== approved)
    return {
      approval,
      ...fail(
        `approved ${approved.slice(7, 19)}, promoted ${promoted.slice(7, 19)}`,
        `The reviewers approved the pre-flight decision ${approved}, but this run went on with ${shown(ctx, file)}, which is ${promoted}: the pre-flight changed after the approval (a re-run with other reports). NO-GO: the new pre-flight decision needs its own approval.`,
      ),
    }
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    value = undefined
  }
  const c = classify(value)
  const b = value as Partial<Bundle>
  if (!('bundle' in c))
    return { approval, ...fail('not a bundle', `${shown(ctx, file)} is not a decision bundle, so no approval can be of it: NO-GO.`) }
  if (b.decision !== 'GO')
    return {
      approval,
      ...fail(
        `pre-flight ${String(b.decision)}`,
        `The approved pre-flight decision ${shown(ctx, file)} is ${String(b.decision)}, not GO: nothing approved may be promoted on it. NO-GO.`,
      ),
    }
  if (e.sha && b.subject?.sha && b.subject.sha.toLowerCase() !== e.sha)
    return {
      approval,
      ...fail('another commit', `The approved pre-flight decision is about commit ${short(b.subject.sha)}, not ${short(e.sha)}: NO-GO.`),
    }
  return {
    approval,
    check: check(
      'pass',
      name,
      `approved = promoted = ${approved.slice(0, 19)}`,
      expectedText,
      `The reviewers approved the pre-flight GO decision ${approved}, and this run went on with exactly that file (${shown(ctx, file)}).`,
    ),
  }
}

/** The artifacts the statement names beside the commit, each by its SHA-256. */
async function attestSubjects(files: string[], ctx: GateRunContext): Promise<{ artifacts: ResourceDescriptor[]; check?: Check }> {
  if (files.length === 0) return { artifacts: [] }
  const artifacts: ResourceDescriptor[] = []
  const problems: string[] = []
  for (const f of files) {
    const file = path.resolve(ctx.cwd, f)
    try {
      const bytes = await readRegularFile(file, 8 * 1024 * 1024 * 1024, ctx.fs)
      artifacts.push({ name: path.basename(file), digest: { sha256: sha256Hex(bytes) } })
    } catch (err) {
      problems.push(`${shown(ctx, file)} ${err instanceof NotRegularFileError ? `is ${err.kind}` : fsProblem(err)}`)
    }
  }
  const expected = 'every `attest-subjects` file hashed'
  if (problems.length)
    return {
      artifacts,
      check: check(
        'fail',
        'in-toto attestation',
        `${problems.length} subject${problems.length === 1 ? '' : 's'} unreadable`,
        expected,
        `The attestation cannot name what it is about: ${problems.join('; ')}. NO-GO: give the artifacts' paths as they are after the build.`,
      ),
    }
  return { artifacts }
}

/** Writes the DSSE envelope of the decision's in-toto statement beside the bundle. */
async function attest(
  bundle: Bundle,
  bundleFile: string,
  envelopeFile: string,
  digest: string,
  key: KeyObject,
  artifacts: ResourceDescriptor[],
  config: string | undefined,
  ctx: GateRunContext,
): Promise<{ check: Check; output: string }> {
  const name = 'in-toto attestation'
  const expected = 'a DSSE envelope of the decision, signed with `signing-key`'
  let configPin: { file: string; sha256: string } | undefined
  if (config) {
    try {
      configPin = {
        file: path.basename(config),
        sha256: sha256Hex(await readRegularFile(path.resolve(ctx.cwd, config), MAX_REPORT_BYTES, ctx.fs)),
      }
    } catch {
      // Unreadable config is already a failed `decision settings` check: the statement says nothing of it.
    }
  }
  const statement = buildStatement(bundle, {
    bundleFile: path.basename(bundleFile),
    bundleSha256: digest.slice('sha256:'.length),
    ...(configPin ? { config: configPin } : {}),
    artifacts,
  })
  // Never over evidence: only an earlier envelope (or nothing) may stand where it goes.
  const existing = await readRegularFile(envelopeFile, MAX_REPORT_BYTES, ctx.fs).then(
    (b) => b,
    () => undefined,
  )
  if (existing) {
    let kind: ReturnType<typeof classify> | undefined
    try {
      kind = classify(JSON.parse(existing.toString('utf8')))
    } catch {
      kind = undefined
    }
    if (!kind || !('envelope' in kind))
      return {
        output: '',
        check: check(
          'fail',
          name,
          'not written: the path holds other evidence',
          expected,
          `The attestation was not written: ${shown(ctx, envelopeFile)} already holds something other than an attestation, and decide never overwrites evidence. NO-GO: give \`bundle\` a path of its own.`,
        ),
      }
  }
  try {
    const envDigest = await writeEnvelope(envelopeFile, signEnvelope(statement, key))
    const where = shown(ctx, envelopeFile)
    return {
      output: where,
      check: check(
        'pass',
        name,
        `${where} (${envDigest})`,
        expected,
        `Wrote the in-toto statement of the decision (${PREDICATE_TYPE}, ${statement.subject.length} subject${statement.subject.length === 1 ? '' : 's'}) in a DSSE envelope ${where}: anyone with the public key can verify it (docs/attestation.md).`,
        { path: where },
      ),
    }
  } catch (err) {
    return {
      output: '',
      check: check(
        'fail',
        name,
        `not written (${errorCode(err)})`,
        expected,
        `The attestation ${shown(ctx, envelopeFile)} ${fsProblem(err, 'written')} (${errorCode(err)}): the decision cannot be verified by a third party, so it is NO-GO.`,
      ),
    }
  }
}
