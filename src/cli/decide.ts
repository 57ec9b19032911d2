/**
 * `cutover decide`: the decide gate from a terminal. Prints the runbook's Go/No-Go decision
 * table and where the bundle went; exits 0 GO, 1 GO with warnings, 2 NO-GO (or could not run).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { defaultContext, runGate } from '../core/gate.js'
import { LANGUAGES, WORDS, isLanguage, type Language } from '../core/i18n.js'
import { secretValues } from '../core/inputs.js'
import { makeRedactor } from '../core/redact.js'
import { EXIT_CODE } from '../core/result.js'
import type { Bundle } from '../gates/decide/bundle.js'
import { decisionRows, renderDecisionText } from '../gates/decide/table.js'
import { decide } from '../gates/decide/index.js'
import { existsSync } from 'node:fs'
import { gitHead } from './local.js'
import { gates } from '../gates/index.js'
import { commonInputs } from '../core/inputs.js'
import { UsageError, defaultOf, parseFlags, usageLine, wantsHelp, type Command } from './command.js'

const REPORTS = defaultOf(decide.inputs.reports)
const LANGUAGE = defaultOf(commonInputs.language)

export const DECIDE_USAGE = `Usage: cutover decide [options]

  --reports <dir>        folder of gate reports (default: ${REPORTS})
  --required <id,id>     gate ids that must have a report
  --allow-warn           let gates that warned count towards GO
  --bundle <file>        where to write the bundle (default: <reports>/cutover-summary.json)
  --signing-key <file>   PEM private key (Ed25519, EC P-256, RSA) to sign the bundle
  --hmac-env <VAR>       sign with HMAC-SHA256, the key read from environment variable VAR
  --approvals <file>     JSON approval records to include in the bundle
  --sha <sha>            the commit being cut over (default: GITHUB_SHA, else the checkout's HEAD)
  --language <${LANGUAGES.join('|')}>     language of the table (default: ${LANGUAGE})

Exit codes: 0 GO, 1 GO with warnings, 2 NO-GO (or the command could not run).`

function fail(message: string): number {
  process.stderr.write(`cutover decide: ${message}\n`)
  return 2
}

export async function decideCommand(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(DECIDE_USAGE + '\n')
    return 0
  }
  let values
  try {
    ;({ values } = parseFlags(args, {
      reports: { type: 'string' },
      required: { type: 'string' },
      'allow-warn': { type: 'boolean', default: false },
      bundle: { type: 'string' },
      'signing-key': { type: 'string' },
      'hmac-env': { type: 'string' },
      approvals: { type: 'string' },
      sha: { type: 'string' },
      language: { type: 'string', default: LANGUAGE },
    }))
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(usageLine('decide', err.message))
    return 2
  }
  try {
    const language = values.language as Language
    if (!isLanguage(language)) throw new UsageError(`--language takes ${LANGUAGES.join(' or ')}, not "${values.language}"`)
    const raw: Record<string, string | undefined> = {
      reports: values.reports,
      required: values.required?.split(',').join('\n'),
      'allow-warn': String(values['allow-warn']),
      bundle: values.bundle,
      'signing-key': values['signing-key'],
      approvals: values.approvals,
      // Outside a workflow run, the commit being decided on is the HEAD of the checkout holding the reports (as `cutover check` records it).
      sha: values.sha ?? (process.env.GITHUB_SHA ? undefined : localHead(values.reports ?? REPORTS)),
    }
    if (values['hmac-env'] !== undefined) {
      // The key comes from the environment, never from the command line (where `ps` would show it).
      const name = values['hmac-env']
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        throw new UsageError(`--hmac-env takes the name of an environment variable, not "${name}"`)
      const key = process.env[name]
      // Not a usage error: the command line is right, the environment lacks the key.
      if (!key) throw new Error(`--hmac-env names ${name}, but that environment variable is not set`)
      raw['hmac-key'] = key
    }
    const redact = makeRedactor(secretValues(decide.inputs, raw))
    const ctx = defaultContext({ log: (line) => process.stderr.write(redact(line) + '\n'), catalog: gates })
    const result = redact(await runGate(decide, raw, ctx, { id: 'decide' }))
    if (result.inputError) {
      for (const c of result.checks) process.stderr.write(`cutover decide: ${c.message}\n`)
      return 2
    }
    process.stdout.write((await describe(result.checks, result.outputs, language)) + '\n')
    return EXIT_CODE[result.status]
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(usageLine('decide', err.message))
      return 2
    }
    return fail(err instanceof Error ? err.message : String(err))
  }
}

export const decideEntry: Command = {
  name: 'decide',
  summary: 'Decide GO/NO-GO over the gate reports and write the signed evidence bundle',
  usage: DECIDE_USAGE,
  run: decideCommand,
}

async function describe(checks: Parameters<typeof decisionRows>[0], outputs: Record<string, string>, language: Language): Promise<string> {
  // The bundle says which gate wrote each report, for the table's category and criteria.
  let bundle: Bundle | undefined
  if (outputs.bundle) bundle = JSON.parse(await readFile(path.resolve(outputs.bundle), 'utf8')) as Bundle
  const reports = new Map((bundle?.reports ?? []).map((r) => [r.id, r.gate]))
  const registry = gates as Record<string, { category: string; criteria: { en: string; tr: string } } | undefined>
  const rows = decisionRows(checks, reports, (gate) => registry[gate])
  const reasons = checks.filter((c) => c.status !== 'pass')
  const decision = outputs.decision === 'GO' ? (reasons.length ? 'GO with warnings' : 'GO') : 'NO-GO'
  const lines = [renderDecisionText(rows, language), '', `${WORDS[language].decision}: ${decision}`]
  for (const c of reasons) lines.push(`  ${c.status === 'fail' ? '✗' : '!'} ${c.message}`)
  lines.push(outputs.bundle ? `Bundle: ${outputs.bundle} (${outputs.digest})` : 'Bundle: not written')
  return lines.join('\n')
}

/** HEAD of the checkout the reports folder is in (its parent when the folder does not exist yet). */
function localHead(reports: string): string | undefined {
  const dir = path.resolve(reports.split(/[\n,]/)[0].trim() || '.')
  return gitHead(existsSync(dir) ? dir : path.dirname(dir))
}
