/** `cutover check`: the gates of a cutover.yml, run concurrently, and the Go/No-Go table. */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fsProblem } from '../lib/errno.js'
import { checklistInputs, runChecklist } from '../core/checklist.js'
import { loadConfig } from '../core/config.js'
import { defaultContext } from '../core/gate.js'
import { LANGUAGES, WORDS, isLanguage, type Language } from '../core/i18n.js'
import { commonInputs } from '../core/inputs.js'
import { ledgerStartFromEnv } from '../core/ledger.js'
import { makeRedactor } from '../core/redact.js'
import { recordRun, reportOf } from '../core/record.js'
import { subjectFromEnv } from '../core/report.js'
import { EXIT_CODE, worst } from '../core/result.js'
import { runContext } from '../core/run-context.js'
import { localizeResult, renderTable, rowsVerdict } from '../core/summary.js'
import { gates } from '../gates/index.js'
import { githubPort } from '../github/port.js'
import { UsageError, defaultOf, parseFlags, type Command } from './command.js'
import { gitHead } from './local.js'

/** The flags' defaults are the checklist action's: a laptop run reads and writes what CI does. */
export const CHECK_DEFAULTS = {
  config: defaultOf(checklistInputs.config),
  'report-dir': defaultOf(commonInputs['report-dir']),
  language: defaultOf(commonInputs.language),
}

const CHECK_USAGE = `Usage: cutover check [options]

Runs the gates of a cutover.yml concurrently, prints the Go/No-Go table and saves a JSON report per gate.

  --config <file>      the checklist (default: ${CHECK_DEFAULTS.config})
  --only <id,id>       run only these gate ids; uses:<gate> selects every gate of that kind
  --report-dir <dir>   where the JSON reports and the ledger go (default: ${CHECK_DEFAULTS['report-dir']})
  --language <${LANGUAGES.join('|')}>   language of the table (default: ${CHECK_DEFAULTS.language})
  --json               print the results as JSON instead of the table
  --summary <file>     also write the job-summary Markdown the action would write (a preview)

Progress goes to stderr, the table (or the JSON) to stdout.
Exit codes: 0 pass, 1 warn, 2 fail (or the command could not run).`

/** The ids of `--only`: refused when given but naming nothing, which would otherwise run every gate. */
export function onlyIds(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined
  const ids = checklistInputs.only.parse(raw) as string[]
  if (ids.length === 0)
    throw new UsageError('--only names no gate; give gate ids such as api,db (or uses:readyz), or leave --only out to run them all')
  return ids
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Run the gates of a cutover.yml concurrently and print the Go/No-Go table',
  usage: CHECK_USAGE,
  async run(args) {
    const { values } = parseFlags(args, {
      config: { type: 'string', default: CHECK_DEFAULTS.config },
      only: { type: 'string' },
      'report-dir': { type: 'string', default: CHECK_DEFAULTS['report-dir'] },
      language: { type: 'string', default: CHECK_DEFAULTS.language },
      json: { type: 'boolean', default: false },
      summary: { type: 'string' },
    })
    // Before anything runs: a bad --summary must not cost a whole checklist run.
    if (values.summary !== undefined && values.summary.trim() === '')
      throw new UsageError('--summary names no file; give the file the job-summary Markdown goes to')
    const language = values.language as Language
    if (!isLanguage(language)) throw new UsageError(`--language takes ${LANGUAGES.join(' or ')}, not "${values.language}"`)
    // An empty folder name would put the reports and the ledger in the current folder, among whatever is there.
    if (values['report-dir'].trim() === '') throw new UsageError('--report-dir names no folder; give the folder the reports go to')
    if (values.config.trim() === '') throw new UsageError('--config names no file; give the path of a cutover.yml')
    const only = onlyIds(values.only)
    // CUTOVER_LEDGER_PREV: a new ledger continues the head of the previous job's (one chain across a run).
    const chain = ledgerStartFromEnv(process.env)
    if (chain.problem) throw new UsageError(chain.problem)
    const config = await loadConfig(path.resolve(values.config), process.env)
    // Progress goes to stderr so `--json` output stays parseable.
    const github = githubPort(process.env.GITHUB_TOKEN, process.env)
    const ctx = defaultContext({ log: (line) => process.stderr.write(line + '\n'), ...(github ? { github } : {}) })
    let run
    try {
      run = await runChecklist(config, gates, ctx, { only, language })
    } catch (err) {
      // selectGates refuses an --only that names nothing of this file: a usage error, not a measurement.
      if (only && err instanceof Error && err.message.startsWith('--only')) throw new UsageError(err.message)
      throw err
    }
    // The commit decide will expect: the pull request's head on pull_request events, as the actions record it.
    // On a laptop the commit measured is the checkout's HEAD: decide then tells these reports from stale ones.
    const subject = subjectFromEnv(process.env, runContext(process.env).sha ?? gitHead(path.dirname(path.resolve(values.config))))
    // The results are printed whether or not they can be saved: a folder problem loses nothing measured.
    const { rows, unsaved, summary } = await recordRun(run.rows, {
      ...(chain.start ? { ledgerStart: chain.start } : {}),
      redact: makeRedactor(run.secrets),
      reportDir: values['report-dir'],
      subject,
      language,
      rule: config.decide,
    })
    const status = worst(rows.map((r) => r.result.status))
    if (values.json) {
      process.stdout.write(
        JSON.stringify(
          { status, decision: rowsVerdict(rows, config.decide).decision, gates: rows.map((r) => reportOf(r.result)) },
          null,
          2,
        ) + '\n',
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
    if (summaryProblem) process.stderr.write(`cutover check: --summary ${values.summary} ${summaryProblem}; the results above stand.\n`)
    if (unsaved) {
      process.stderr.write(
        `cutover: the reports were not saved: --report-dir ${values['report-dir']} ${unsaved}. Give --report-dir a folder you can write to.\n`,
      )
      return 2
    }
    return summaryProblem ? 2 : EXIT_CODE[status]
  },
}

async function writeSummary(file: string, markdown: string): Promise<string | undefined> {
  try {
    await writeFile(path.resolve(file), markdown)
    return undefined
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    return e.code ? `${fsProblem(e, 'written')} (${e.code})` : `could not be written (${e.message})`
  }
}
