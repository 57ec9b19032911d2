// The root action: every gate of a cutover.yml. The one entry that needs the whole registry.
import * as core from '@actions/core'
import path from 'node:path'
import { checklistInputs, runChecklist, type ChecklistRun } from '../core/checklist.js'
import { ConfigError, loadConfig } from '../core/config.js'
import { inputChecks } from '../core/gate.js'
import { InputError, parseInputs, secretValues } from '../core/inputs.js'
import { check, type GateResult } from '../core/result.js'
import { rowsVerdict } from '../core/summary.js'
import { DEFAULT_RULE, type DecisionRule } from '../core/verdict.js'
import { gates } from '../gates/index.js'
import { actionContext, commonSettings, guarded, mask, publish, readInputs, refuseCommon, setRedactor, type Row } from './runner.js'

async function checklistAction(): Promise<void> {
  const specs = { ...checklistInputs }
  const raw = readInputs(specs)
  let redact = mask(specs, raw)
  const { common, problems } = commonSettings(raw)
  if (!common) return refuseCommon(problems)
  const env = process.env
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  let run: ChecklistRun
  let rule: DecisionRule = DEFAULT_RULE
  try {
    const settings = parseInputs(checklistInputs, raw)
    const file = path.resolve(workspace, settings.config)
    const config = await loadConfig(file, env)
    rule = config.decide
    const ctx = actionContext(common, redact, gates)
    run = await core.group('cutover checklist', () =>
      runChecklist(config, gates, ctx, {
        only: settings.only,
        language: common.language,
        annotatePath: path.relative(workspace, file),
        idSuffix: settings['id-suffix'],
        set: settings.set,
      }),
    )
  } catch (err) {
    // The checklist as a whole could not start: one failing result says why, and is published.
    const message = err instanceof InputError ? err.problems : [err instanceof Error ? err.message : String(err)]
    if (!(err instanceof InputError || err instanceof ConfigError || err instanceof Error)) throw err
    const now = new Date().toISOString()
    const checks =
      err instanceof InputError
        ? inputChecks(message)
        : message.map((m) => check('fail', 'config', 'unusable config', 'a valid cutover.yml', `Could not run the checklist: ${m}.`))
    const result: GateResult = {
      id: 'checklist',
      gate: 'checklist',
      status: 'fail',
      summary: `checklist: FAIL: ${checks[0].message}`,
      checks,
      metrics: {},
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
    }
    run = { rows: [{ result, category: '-', criteria: 'cutover.yml', outputs: {} }], secrets: [] }
    ;(run.rows[0] as Row).inputError = true
  }
  for (const s of run.secrets) core.setSecret(s)
  redact = setRedactor([...secretValues(specs, raw), ...run.secrets])
  await publish(run.rows, common, redact, common['report-dir'], rule)
  core.setOutput('decision', rowsVerdict(run.rows, rule).decision)
  core.setOutput('gates', run.rows.map((r) => r.result.id).join(','))
  core.setOutput('uses', [...new Set(run.rows.map((r) => r.result.gate))].join(','))
}

await guarded(checklistAction)
