#!/usr/bin/env node
/**
 * `cutover`: the same gates from a terminal. Exit codes follow the runbooks: 0 pass, 1 warn, 2 fail.
 */
import { parseArgs } from 'node:util'
import path from 'node:path'
import { configJsonSchema, runChecklist } from '../core/checklist.js'
import { ConfigError, loadConfig } from '../core/config.js'
import { defaultContext } from '../core/gate.js'
import { LANGUAGES, WORDS, isLanguage, type Language } from '../core/i18n.js'
import { writeFile } from 'node:fs/promises'
import { fsProblem } from '../lib/errno.js'
import { makeRedactor } from '../core/redact.js'
import { recordRun, reportOf } from '../core/record.js'
import { subjectFromEnv } from '../core/report.js'
import { EXIT_CODE, worst } from '../core/result.js'
import { localizeResult, renderTable, rowsVerdict } from '../core/summary.js'
import { gates } from '../gates/index.js'
import { runContext } from '../core/run-context.js'
import { gitHead } from './local.js'
import { githubPort } from '../github/port.js'
import { bundleCommand } from './bundle.js'
import { decideCommand } from './decide.js'
import { evidenceCommand } from './evidence.js'
import { rehearseCommand } from './rehearse.js'

const USAGE = `Usage: cutover <command> [options]

Commands:
  check    Run the gates of a cutover.yml concurrently and print the Go/No-Go table
           --config <file>      the checklist (default: cutover.yml)
           --only <id,id>       run only these gates
           --report-dir <dir>   where JSON reports go (default: cutover-reports)
           --language <en|tr>   language of the table (default: en)
           --json               print the results as JSON instead of the table
  evidence seal <dir> | evidence verify <dir>
           Write / verify SHA256SUMS (+ signature); cutover evidence --help
  decide   Decide GO/NO-GO over the gate reports and write the signed evidence bundle
           [--reports dir] [--required a,b] [--allow-warn] [--bundle file]
           [--signing-key file] [--hmac-env VAR] [--approvals file] [--sha sha]
  bundle verify <file> [--public-key pem] [--hmac-env VAR]
           Check a bundle's signature and every report it lists
  rehearse Run the cutover's phases locally: pre-flight, decide, promotion steps with their
           canary gate, verification, and the rollback command on a failure
           --config <file>      the checklist with its "rollout:" block (default: cutover.yml)
           --steps <25,50>      promotion steps (default: rollout.steps, or 10,25,50,100)
           --abort-drill <50>   inject a failure at this step to prove the rollback path
           --dry-run            echo the promote and rollback commands instead of running them
  schema   Print the JSON Schema of cutover.yml (for editors)

Exit codes: 0 pass, 1 warn, 2 fail (or the command could not run).`

class UsageError extends Error {}

async function check(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'cutover.yml' },
      only: { type: 'string' },
      'report-dir': { type: 'string', default: 'cutover-reports' },
      language: { type: 'string', default: 'en' },
      json: { type: 'boolean', default: false },
      summary: { type: 'string' },
    },
    strict: true,
  })
  // Before anything runs: a bad --summary must not cost a whole checklist run.
  if (values.summary !== undefined && values.summary.trim() === '')
    throw new UsageError('--summary names no file; give the file the job-summary Markdown goes to')
  const language = values.language as Language
  if (!isLanguage(language)) throw new UsageError(`--language takes ${LANGUAGES.join(' or ')}, not "${values.language}"`)
  // An empty folder name would put the reports and the ledger in the current folder, among whatever is there.
  if (values['report-dir'].trim() === '') throw new UsageError('--report-dir names no folder; give the folder the reports go to')
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const config = await loadConfig(path.resolve(values.config), process.env)
  // Progress goes to stderr so `--json` output stays parseable.
  const github = githubPort(process.env.GITHUB_TOKEN, process.env)
  const ctx = defaultContext({ log: (line) => process.stderr.write(line + '\n'), ...(github ? { github } : {}) })
  const run = await runChecklist(config, gates, ctx, { only, language })
  // The commit decide will expect: the pull request's head on pull_request events, as the actions record it.
  // On a laptop the commit measured is the checkout's HEAD: decide then tells these reports from stale ones.
  const subject = subjectFromEnv(process.env, runContext(process.env).sha ?? gitHead(path.dirname(path.resolve(values.config))))
  // The results are printed whether or not they can be saved: a folder problem loses nothing measured.
  const { rows, unsaved, summary } = await recordRun(run.rows, {
    redact: makeRedactor(run.secrets),
    reportDir: values['report-dir'],
    subject,
    language,
    rule: config.decide,
  })
  const status = worst(rows.map((r) => r.result.status))
  if (values.json) {
    process.stdout.write(
      JSON.stringify({ status, decision: rowsVerdict(rows, config.decide).decision, gates: rows.map((r) => reportOf(r.result)) }, null, 2) +
        '\n',
    )
  } else {
    process.stdout.write(renderTable(rows, language, config.decide) + '\n')
    for (const r of rows)
      for (const c of localizeResult(r.result, language).checks)
        if (c.status !== 'pass') process.stdout.write(`  ${r.result.id} › ${c.name}: ${c.message}\n`)
    if (!unsaved) process.stdout.write(WORDS[language].reportsIn(`${values['report-dir']}/`) + '\n')
  }
  // The same Markdown the action writes to the job summary, for a preview before the real run.
  const summaryProblem = values.summary === undefined ? undefined : await writeSummary(values.summary, summary)
  if (summaryProblem) process.stderr.write(`cutover: --summary ${values.summary} ${summaryProblem}; the results above stand.\n`)
  if (unsaved) {
    process.stderr.write(
      `cutover: the reports were not saved: --report-dir ${values['report-dir']} ${unsaved}. Give --report-dir a folder you can write to.\n`,
    )
    return 2
  }
  return summaryProblem ? 2 : EXIT_CODE[status]
}

/** Writes the job-summary Markdown; the problem as the end of a sentence, or undefined. */
async function writeSummary(file: string, markdown: string): Promise<string | undefined> {
  try {
    await writeFile(path.resolve(file), markdown)
    return undefined
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    return e.code ? `${fsProblem(e, 'written')} (${e.code})` : `could not be written (${e.message})`
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'check':
        return await check(rest)
      case 'evidence':
        return await evidenceCommand(rest)
      case 'decide':
        return await decideCommand(rest)
      case 'bundle':
        return await bundleCommand(rest)
      case 'rehearse':
        return await rehearseCommand(rest, gates)
      case 'schema':
        process.stdout.write(JSON.stringify(configJsonSchema(gates), null, 2) + '\n')
        return 0
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n')
        return command === undefined ? 2 : 0
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`cutover: ${(err as Error).message}\n${err instanceof ConfigError ? '' : `\n${USAGE}\n`}`)
      return 2
    }
    process.stderr.write(`cutover: ${err instanceof Error ? err.message : String(err)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
