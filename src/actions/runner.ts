/**
 * What every action does around its gate(s): read and mask inputs, run, then publish the JSON
 * report, the job summary, the check run and the outputs, and fail the step per `fail-on`.
 */
import * as core from '@actions/core'
import { defaultContext, runGate, type Gate, type GateInfo } from '../core/gate.js'
import { InputError, commonInputs, parseInputs, secretValues, type CommonSettings, type InputSpecs } from '../core/inputs.js'
import { makeRedactor, type Redact } from '../core/redact.js'
import { recordRun } from '../core/record.js'
import { ID_FORM, ID_PATTERN, subjectFromEnv } from '../core/report.js'
import { STATUS_RANK, worst } from '../core/result.js'
import { LEDGER_FILE, LedgerError, ledgerStartFromEnv, verifyLedger } from '../core/ledger.js'
import { localizeResult, type GateRow } from '../core/summary.js'
import { DEFAULT_RULE, type DecisionRule } from '../core/verdict.js'
import { runContext } from '../core/run-context.js'
import { githubPort } from '../github/port.js'

export type Row = GateRow & { outputs: Record<string, string>; inputError?: boolean }

/** Raw inputs as the runner passes them: `INPUT_<NAME>`, absent or empty meaning "not given". */
export function readInputs(specs: InputSpecs): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {}
  for (const name of Object.keys(specs)) raw[name] = core.getInput(name) || undefined
  return raw
}

/** The redactor of the run in progress, also used for a sentence about an unexpected error. */
let activeRedact: Redact = makeRedactor([])

/** Replaces the run's redactor (the checklist learns more secrets from cutover.yml). */
export function setRedactor(secrets: string[]): Redact {
  activeRedact = makeRedactor(secrets)
  return activeRedact
}

/** Masks secrets in the log first, then returns the redactor for everything we write. */
export function mask(specs: InputSpecs, raw: Record<string, unknown>, extra: string[] = []): Redact {
  const secrets = [...secretValues(specs, raw), ...extra]
  for (const s of secrets) core.setSecret(s)
  return setRedactor(secrets)
}

/**
 * The common inputs, or the sentences that refuse them. A refused common input stops the step
 * before anything is written: with a wrong `id`, `sha` or `report-dir` any report or check run
 * would land in another gate's place.
 */
export function commonSettings(raw: Record<string, unknown>): { common?: CommonSettings; problems: string[] } {
  const picked = Object.fromEntries(Object.keys(commonInputs).map((k) => [k, raw[k]]))
  // A head that is not one would start a chain that continues nothing: refused before anything runs.
  const chain = ledgerStartFromEnv(process.env)
  if (chain.problem)
    return {
      problems: [`${chain.problem}; pass the previous job's ledger head (its last record's hash), or leave it unset to start a new chain`],
    }
  try {
    const common = parseInputs(commonInputs, picked)
    if (common.id !== undefined && !ID_PATTERN.test(common.id))
      throw new InputError([`input \`id\`: ${JSON.stringify(common.id)} is not valid; expected ${ID_FORM}`])
    return { common, problems: [] }
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    return { problems: err.problems }
  }
}

export function refuseCommon(problems: string[]): void {
  for (const p of problems) core.error(activeRedact(p))
  core.setFailed(activeRedact(`Invalid input: ${problems.join('; ')}. Nothing was measured or written (no report, no check run).`))
}

/** `catalog`: the gates a gate that writes about other gates' reports (decide) may name. */
export function actionContext(common: CommonSettings, redact: Redact, catalog?: Record<string, GateInfo>) {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  const github = githubPort(common['github-token'], process.env, common.sha)
  return defaultContext({
    log: (line) => core.info(redact(line)),
    cwd: workspace,
    workspace,
    language: common.language,
    ...(catalog ? { catalog } : {}),
    ...(github ? { github } : {}),
  })
}

/** The step fails with a sentence, never a stack trace, whatever goes wrong around the gate. */
export async function guarded(body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (err) {
    core.setFailed(activeRedact(`cutover: ${err instanceof Error ? err.message : String(err)}`))
  }
}

/**
 * Runs one gate as its action. An action's entry imports only its own gate (so its bundle holds
 * only what it runs); decide alone passes the registry's catalog, to name the gates it reads about.
 */
export const runGateAction = (gate: Gate, catalog?: Record<string, GateInfo>) => guarded(() => gateAction(gate, catalog))

async function gateAction(gate: Gate, catalog: Record<string, GateInfo> | undefined): Promise<void> {
  const specs = { ...commonInputs, ...gate.inputs }
  const raw = readInputs(specs)
  const redact = mask(specs, raw)
  const { common, problems } = commonSettings(raw)
  if (!common) return refuseCommon(problems)
  const id = common.id ?? gate.name
  const own = Object.fromEntries(Object.keys(gate.inputs).map((k) => [k, raw[k]]))
  const ctx = actionContext(common, redact, catalog)
  const result = await core.group(`cutover / ${id}`, () => runGate(gate, own, ctx, { id }))
  // A refused input decided nothing: a gate whose output is a decision says NO-GO, so that a
  // workflow testing `decision != 'NO-GO'` does not read an empty output as a GO.
  const outputs =
    result.inputError && gate.outputs && 'decision' in gate.outputs ? { decision: 'NO-GO', ...result.outputs } : result.outputs
  const row: Row = {
    result,
    category: gate.category,
    criteria: gate.criteria[common.language],
    outputs,
    inputError: result.inputError,
  }
  await publish([row], common, redact, `${common['report-dir']}/${id}.json`, DEFAULT_RULE)
}

export async function publish(
  rows: Row[],
  common: CommonSettings,
  redact: Redact,
  reportOutput: string,
  rule: DecisionRule,
): Promise<void> {
  const env = process.env
  const run = runContext(env, common.sha)
  const lang = common.language
  // Checked in commonSettings before anything ran; here it is the head a new ledger continues.
  const chain = ledgerStartFromEnv(env)
  // The results are published whatever the folder does with the reports.
  const recorded = await recordRun(rows, {
    redact,
    reportDir: common['report-dir'],
    subject: subjectFromEnv(env, run.sha),
    language: lang,
    rule,
    ...(chain.start ? { ledgerStart: chain.start } : {}),
  })
  const { rows: clean, reports, unsaved } = recorded
  await core.summary.addRaw(recorded.summary).write()

  if (common['check-run']) {
    const token = common['github-token']
    if (!token) core.warning('Check runs not published: no `github-token` was given. The job summary is the record.')
    else {
      // Loaded only now: an action that publishes nothing never loads the GitHub client.
      const [{ createClient }, { publishCheckRun }] = await Promise.all([import('../github/client.js'), import('../github/checks.js')])
      const octokit = createClient(token)
      // The check run's title, text and annotations are read by people: in the run's language.
      const outcomes = await Promise.all(
        clean.map((r, i) => publishCheckRun(octokit, run, { ...r, result: localizeResult(r.result, lang) }, lang, reports[i])),
      )
      for (const o of outcomes) {
        if (o.published) core.info(`Published check run ${o.url ?? o.id}`)
        else core.warning(redact(o.warning))
      }
    }
  }

  const status = worst(clean.map((r) => r.result.status))
  const summaryLine =
    clean.length === 1
      ? clean[0].result.summary
      : `checklist: ${status.toUpperCase()}: ${clean.filter((r) => r.result.status === 'pass').length} of ${clean.length} gates passed`
  core.setOutput('status', status)
  core.setOutput('report', unsaved ? '' : clean.length === 1 ? (reports[0] ?? '') : reportOutput)
  core.setOutput('summary', summaryLine)
  core.setOutput('ledger-head', unsaved ? '' : await ledgerHead(common['report-dir'], redact))
  for (const r of clean) for (const [k, v] of Object.entries(r.outputs)) core.setOutput(k, redact(v))

  const inputError = clean.some((r) => r.inputError)
  const failOn = common['fail-on']
  const failStep = inputError || (failOn !== 'never' && STATUS_RANK[status] >= STATUS_RANK[failOn])
  // One line per gate; a single gate's failing line is the step's own error below, not said twice.
  if (clean.length > 1 || !failStep) {
    for (const r of clean) {
      if (r.result.status === 'pass') core.info(r.result.summary)
      else if (r.result.status === 'warn') core.warning(r.result.summary)
      else core.error(r.result.summary)
    }
  }
  if (unsaved) {
    core.setFailed(
      redact(
        `input \`report-dir\`: ${common['report-dir']} ${unsaved}; the results above were published but no report was saved. Give \`report-dir\` a folder the job can write to.`,
      ),
    )
  } else if (inputError) core.setFailed(`Invalid input: ${clean.find((r) => r.inputError)?.result.summary}`)
  else if (failStep) core.setFailed(summaryLine)
}

/**
 * The head the next job continues: the folder's last record, once this step's records are in.
 * Only an intact chain hands one on; a damaged one hands on nothing, so the next job's ledger
 * starts a chain of its own and decide (`ledger-chain: linked`) names the break.
 */
async function ledgerHead(reportDir: string, redact: Redact): Promise<string> {
  const file = `${reportDir}/${LEDGER_FILE}`
  try {
    const v = await verifyLedger(file, { start: 'any' })
    if (v.ok && v.lastHash) return v.lastHash
    core.warning(redact(`No ledger head handed on: the ledger ${file} is not intact (${v.problems[0] ?? 'it holds no records'}).`))
  } catch (err) {
    // No ledger at all: this step recorded nothing (a refused input), so there is no head to hand on.
    if (!(err instanceof LedgerError)) throw err
    if (!err.missing) core.warning(redact(`No ledger head handed on: the ledger ${file} cannot be read (${err.message}).`))
  }
  return ''
}
