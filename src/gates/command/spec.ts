/**
 * The command gate's inputs: a team's own script, the exit codes it speaks, the verdict line it
 * prints, the variables it needs (secrets) and the JSON file it leaves behind.
 */
import type { ActionMeta } from '../../core/gate.js'
import { input } from '../../core/inputs.js'
import type { Status } from '../../core/result.js'
import { InputFormError, boundedDuration, parseList } from '../../core/units.js'

export const DEFAULT_EXIT_CODES = '0=pass,1=warn,2=fail'
export const EXIT_CODES_FORM =
  'exit codes mapped to pass, warn or fail, written `code=status` and separated by commas or lines, such as 0=pass,1=warn,2=fail'

/** `0=pass,1=warn,2=fail` → {0: 'pass', 1: 'warn', 2: 'fail'}. A code given twice is refused, not resolved. */
export function parseExitCodes(raw: string): Map<number, Status> {
  const items = raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length === 0) throw new InputFormError(raw, EXIT_CODES_FORM)
  const map = new Map<number, Status>()
  for (const item of items) {
    const m = /^(\d{1,3})\s*[=:]\s*(pass|warn|fail)$/i.exec(item)
    if (!m || Number(m[1]) > 255) throw new InputFormError(item, `${EXIT_CODES_FORM} (codes 0 to 255)`)
    const code = Number(m[1])
    if (map.has(code)) throw new InputFormError(item, `${EXIT_CODES_FORM}, each code once (${code} is given twice)`)
    map.set(code, m[2].toLowerCase() as Status)
  }
  return map
}

export function formatExitCodes(map: Map<number, Status>): string {
  return [...map].map(([code, status]) => `${code}=${status}`).join(', ')
}

export const VERDICT_FORM =
  'a regular expression with exactly one capturing group that captures PASS, WARN or FAIL, such as `VERDICT: (\\w+)` or `GATE STATUS: (\\w+)`'

/** The verdict pattern, matched against each output line; exactly one group, so it is clear what decides. */
export function parseVerdict(raw: string): RegExp {
  const source = raw.trim()
  let re: RegExp
  try {
    re = new RegExp(source)
  } catch (err) {
    throw new InputFormError(source, `${VERDICT_FORM} (${(err as Error).message})`)
  }
  // An alternation with the empty string always matches, so the match shows how many groups there are.
  const groups = new RegExp(`${source}|`).exec('')!.length - 1
  if (groups !== 1) throw new InputFormError(source, `${VERDICT_FORM} (it has ${groups} capturing groups)`)
  if (re.test('')) throw new InputFormError(source, `${VERDICT_FORM} (it matches an empty line, so every line would match)`)
  return re
}

export const ENV_FORM = 'environment variables written `NAME=value`, one per line, such as DB_URL=${{ secrets.DB_URL }}'
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * `NAME=value` lines. Never quotes a line: every value is a secret, and a line without `=` may be
 * a value pasted on its own. An empty value is refused: it is what an unset secret becomes.
 */
export function parseEnv(raw: string): [name: string, value: string][] {
  const lines = parseList(raw)
  if (lines.length === 0) throw new InputFormError('(hidden)', ENV_FORM)
  const seen = new Set<string>()
  return lines.map((line, i) => {
    const eq = line.indexOf('=')
    if (eq < 0) throw new InputFormError('(hidden)', `${ENV_FORM} (line ${i + 1} has no \`=\`)`)
    const name = line.slice(0, eq).trim()
    const value = line.slice(eq + 1).trim()
    if (!ENV_NAME.test(name))
      throw new InputFormError('(hidden)', `${ENV_FORM} (on line ${i + 1}, the text before \`=\` is not a variable name)`)
    if (value === '')
      throw new InputFormError('(hidden)', `${ENV_FORM} (the value of ${name} on line ${i + 1} is empty; is the secret it comes from set?)`)
    if (seen.has(name)) throw new InputFormError('(hidden)', `${ENV_FORM}, each name once (${name} is given twice)`)
    seen.add(name)
    return [name, value]
  })
}

/** The values of `env`, leniently: a malformed line is masked whole. */
export function envSecrets(raw: string): string[] {
  return parseList(raw).map((line) => {
    const eq = line.indexOf('=')
    return eq < 0 ? line : line.slice(eq + 1).trim()
  })
}

const DAY = 86_400_000
export const TIMEOUT_FORM = 'a duration above zero and at most 1d, such as 30s, 10m or 2h'

export const commandInputs = {
  run: input.string('The script to run, with `bash -eo pipefail` (each line a command; a failing command or pipe stage stops it).', {
    required: true,
  }),
  'working-directory': input.string(
    'The folder the script runs in; relative paths start at the workspace (or the folder of `cutover.yml`).',
  ),
  'exit-codes': input.custom(
    'list',
    EXIT_CODES_FORM,
    parseExitCodes,
  )(
    'How exit codes map to a status, such as `0=pass,1=warn,2=fail`; a given map replaces the default whole, and any code not in it, a signal or the timeout is `fail`.',
    { default: DEFAULT_EXIT_CODES },
  ),
  verdict: input.custom(
    'string',
    VERDICT_FORM,
    parseVerdict,
  )(
    'A regular expression with one capturing group for the verdict line the script prints, such as `VERDICT: (\\w+)` or `GATE STATUS: (\\w+)`; the last matching line decides, no matching line is `fail`, and when it and the exit code disagree the worse one wins.',
  ),
  timeout: input.custom(
    'string',
    TIMEOUT_FORM,
    boundedDuration(1, DAY, TIMEOUT_FORM),
  )('How long the script may run; then it is killed with its whole process group, and the gate fails.', { default: '10m' }),
  env: input.custom(
    'list',
    ENV_FORM,
    parseEnv,
  )('Environment variables for the script, `NAME=value` one per line; every value is treated as a secret and masked, in the output too.', {
    secret: envSecrets,
  }),
  'result-file': input.string(
    'A JSON file the script writes (relative to `working-directory`); it must be written by this run and parse as JSON, and its SHA-256 goes into the report.',
  ),
}

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const commandAction = {
  title: "A team's own script",
  description:
    "Run a team's own script as a gate: its exit code (0=PASS, 1=WARN, 2=FAIL by default) and its printed verdict line decide, with a timeout that kills the whole process group, secrets masked in the output, and the SHA-256 of the JSON result file it writes.",
  branding: { icon: 'terminal', color: 'gray-dark' },
  example: {
    run: 'bash scripts/prod_preflight_check.sh --env production',
    verdict: 'VERDICT: (\\w+)',
    timeout: '2m',
  },
} satisfies ActionMeta
