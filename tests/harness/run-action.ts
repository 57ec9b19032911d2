// Runs a bundled action (dist/<name>/index.js) the way the GitHub Actions runner runs a `node24` action:
// a fresh process with only the runner's environment, inputs as INPUT_<NAME> variables, and file commands
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH) read back after it exits.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export const DEFAULT_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
export const DEFAULT_REPOSITORY = 'acme/shop'
/** What `${{ github.token }}` in an action.yml input default becomes (the fake API accepts any token). */
export const DEFAULT_TOKEN = 'ghs_harnessFakeToken0000000000000000000'
/** An address where nothing listens: a run that was not given apiUrl fails fast instead of reaching GitHub. */
export const UNREACHABLE_API_URL = 'http://127.0.0.1:9'

/** A workflow command the action printed on stdout, e.g. `::error file=a.ts,line=3::boom`. */
export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

export interface ActionRun {
  /** Exit code; -1 if the process was killed by a signal (see `signal`, `timedOut`). */
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Values saved with core.saveState (GITHUB_STATE). */
  state: Record<string, string>
  /** Variables exported with core.exportVariable (GITHUB_ENV). */
  exportedEnv: Record<string, string>
  /** Directories added with core.addPath (GITHUB_PATH). */
  addedPath: string[]
  /** Workflow commands (`::name props::message`) found on stdout, unescaped. */
  commands: WorkflowCommand[]
  signal: NodeJS.Signals | null
  timedOut: boolean
  /** The environment the action was started with (for debugging a failing test). */
  env: Record<string, string>
}

export interface RunActionOptions {
  inputs?: Record<string, string>
  /** Extra environment, applied last: it overrides every default below. */
  env?: Record<string, string>
  eventName?: string
  /** Webhook payload written to GITHUB_EVENT_PATH; default a minimal payload for eventName. */
  event?: unknown
  /** GITHUB_API_URL; default an unreachable local address. */
  apiUrl?: string
  /** GITHUB_WORKSPACE and the process's cwd; default a fresh temp dir (removed afterwards). */
  cwd?: string
  timeoutMs?: number
  /** Run this script instead of dist/<name>/index.js (harness self-tests). */
  script?: string
  /**
   * The action.yml whose input defaults are applied, as the runner does, to inputs not given. Default: the
   * action.yml (repo root or actions/<dir>/) whose `runs.main` is the script; none is looked up for `script`.
   * `false` applies no defaults.
   */
  actionYml?: string | false
}

interface ActionMetadata {
  file: string
  using?: string
  main?: string
  inputs: Record<string, { default?: unknown; required?: unknown }>
}

function readActionYml(file: string): ActionMetadata {
  const doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as {
    runs?: { using?: string; main?: string }
    inputs?: ActionMetadata['inputs']
  }
  return { file, using: doc.runs?.using, main: doc.runs?.main, inputs: doc.inputs ?? {} }
}

/** The action.yml in this repo (root or actions/<dir>/) whose runs.main points at script. */
export function findActionYml(script: string): string | undefined {
  const candidates = [join(REPO_ROOT, 'action.yml'), join(REPO_ROOT, 'action.yaml')]
  const actionsDir = join(REPO_ROOT, 'actions')
  if (existsSync(actionsDir)) {
    for (const d of readdirSync(actionsDir, { withFileTypes: true })) {
      if (d.isDirectory()) candidates.push(join(actionsDir, d.name, 'action.yml'), join(actionsDir, d.name, 'action.yaml'))
    }
  }
  const target = resolve(script)
  const broken: string[] = []
  for (const file of candidates) {
    if (!existsSync(file)) continue
    let meta: ActionMetadata
    try {
      meta = readActionYml(file)
    } catch (e) {
      broken.push(`${file}: ${(e as Error).message.split('\n')[0]}`)
      continue
    }
    if (meta.main && resolve(dirname(file), meta.main) === target) return file
  }
  // The runner cannot load an action whose metadata is not YAML; do not guess that it is another action's.
  if (broken.length) throw new Error(`runAction: no action.yml runs ${script}, and these do not parse:\n${broken.join('\n')}`)
  return undefined
}

/**
 * Input defaults the runner would set, evaluated: literals as written, `${{ github.token }}` as the token.
 * Other expressions are not evaluated here; they throw so that a test does not silently run with a wrong value.
 */
export function inputDefaults(file: string, token: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(readActionYml(file).inputs)) {
    if (spec?.default === undefined || spec.default === null) continue
    const raw = String(spec.default)
    out[name] = raw.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
      if (expr === 'github.token' || expr === 'secrets.GITHUB_TOKEN') return token
      throw new Error(
        `runAction: ${file}: input '${name}' default uses \${{ ${expr} }}, which the harness does not evaluate; pass the input`,
      )
    })
  }
  return out
}

/** Name as the runner turns it into an environment variable: spaces → `_`, upper-cased, dashes kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * Parses a file-command file (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE) as the runner does:
 * `name=value` lines and heredocs `name<<DELIM` … `DELIM`. Throws, like the runner fails the step, on a
 * heredoc without its closing delimiter or a line that is neither form.
 */
export function parseFileCommand(content: string, fileName = 'file'): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = content.split(/\r?\n/)
  // A trailing newline leaves one empty string at the end.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue
    const eq = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq)
      if (!name) throw new Error(`${fileName}: invalid line ${i + 1}: ${JSON.stringify(line)} (empty name)`)
      out[name] = line.slice(eq + 1)
      continue
    }
    if (heredoc > 0) {
      const name = line.slice(0, heredoc)
      const delim = line.slice(heredoc + 2)
      if (!delim) throw new Error(`${fileName}: invalid line ${i + 1}: ${JSON.stringify(line)} (empty delimiter)`)
      const value: string[] = []
      let closed = false
      for (i++; i < lines.length; i++) {
        if (lines[i] === delim) {
          closed = true
          break
        }
        value.push(lines[i]!)
      }
      if (!closed) throw new Error(`${fileName}: matching delimiter not found '${delim}' for '${name}'`)
      out[name] = value.join('\n')
      continue
    }
    throw new Error(`${fileName}: invalid line ${i + 1}: ${JSON.stringify(line)}`)
  }
  return out
}

const unescapeData = (s: string): string => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
const unescapeProperty = (s: string): string => unescapeData(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',')

/** Extracts `::command key=value,…::message` workflow commands from an action's stdout. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([A-Za-z_-]+)(?: ([^:]*))?::(.*)$/.exec(line.trimStart())
    if (!m) continue
    const properties: Record<string, string> = {}
    for (const kv of (m[2] ?? '').split(',')) {
      const eq = kv.indexOf('=')
      if (eq > 0) properties[kv.slice(0, eq).trim()] = unescapeProperty(kv.slice(eq + 1))
    }
    commands.push({ command: m[1]!, properties, message: unescapeData(m[3] ?? '') })
  }
  return commands
}

function defaultEvent(eventName: string, sha: string): Record<string, unknown> {
  const [owner, name] = DEFAULT_REPOSITORY.split('/') as [string, string]
  const repository = {
    id: 1296269,
    name,
    full_name: DEFAULT_REPOSITORY,
    owner: { login: owner, id: 1, type: 'Organization' },
    default_branch: 'main',
    private: true,
  }
  const sender = { login: 'octocat', id: 583231, type: 'User' }
  if (eventName === 'push') {
    return { ref: 'refs/heads/main', before: '0'.repeat(40), after: sha, repository, sender, head_commit: { id: sha, message: 'test' } }
  }
  return { repository, sender }
}

export async function runAction(name: string, opts: RunActionOptions = {}): Promise<ActionRun> {
  const script = opts.script ?? join(REPO_ROOT, 'dist', name, 'index.js')
  if (!existsSync(script)) throw new Error(`runAction: ${script} does not exist (build the action first: npm run build)`)

  const root = await mkdtemp(join(tmpdir(), `run-action-${name.replace(/[^\w-]/g, '_')}-`))
  try {
    const files = join(root, '_runner_file_commands')
    const runnerTemp = join(root, '_temp')
    const home = join(root, 'home')
    const workspace = opts.cwd ?? join(root, 'workspace')
    await Promise.all([mkdir(files, { recursive: true }), mkdir(runnerTemp), mkdir(home), mkdir(workspace, { recursive: true })])

    const outputFile = join(files, 'set_output')
    const summaryFile = join(files, 'step_summary')
    const stateFile = join(files, 'save_state')
    const envFile = join(files, 'set_env')
    const pathFile = join(files, 'add_path')
    const eventFile = join(root, 'event.json')
    await Promise.all([outputFile, summaryFile, stateFile, envFile, pathFile].map((f) => writeFile(f, '')))

    const eventName = opts.eventName ?? 'push'
    const sha = opts.env?.GITHUB_SHA ?? DEFAULT_SHA
    await writeFile(eventFile, JSON.stringify(opts.event ?? defaultEvent(eventName, sha), null, 2))

    // Only PATH and HOME come from the parent; the directory of the running node goes first so that a
    // `node` spawned by the action is the same version.
    const parentPath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'
    const env: Record<string, string> = {
      PATH: [dirname(process.execPath), parentPath].join(delimiter),
      HOME: process.env.HOME ?? home,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_REPOSITORY: DEFAULT_REPOSITORY,
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_REPOSITORY_ID: '1296269',
      GITHUB_REPOSITORY_OWNER_ID: '1',
      GITHUB_SHA: sha,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_HEAD_REF: '',
      GITHUB_BASE_REF: '',
      GITHUB_RUN_ID: '4242424242',
      GITHUB_RUN_NUMBER: '17',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTOR: 'octocat',
      GITHUB_ACTOR_ID: '583231',
      GITHUB_TRIGGERING_ACTOR: 'octocat',
      GITHUB_WORKFLOW: 'cutover',
      GITHUB_WORKFLOW_REF: `${DEFAULT_REPOSITORY}/.github/workflows/cutover.yml@refs/heads/main`,
      GITHUB_JOB: 'gate',
      GITHUB_ACTION: `__acme_${name.replace(/[^\w]/g, '_')}`,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_STATE: stateFile,
      GITHUB_ENV: envFile,
      GITHUB_PATH: pathFile,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: opts.apiUrl ?? UNREACHABLE_API_URL,
      GITHUB_GRAPHQL_URL: `${opts.apiUrl ?? UNREACHABLE_API_URL}/graphql`,
      GITHUB_RETENTION_DAYS: '90',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'GitHub Actions 1',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: join(root, '_tool'),
    }
    const ymlFile = opts.actionYml === false ? undefined : (opts.actionYml ?? (opts.script ? undefined : findActionYml(script)))
    const defaults = ymlFile ? inputDefaults(ymlFile, opts.env?.GITHUB_TOKEN ?? DEFAULT_TOKEN) : {}
    for (const [k, v] of Object.entries({ ...defaults, ...(opts.inputs ?? {}) })) env[inputEnvName(k)] = v
    Object.assign(env, opts.env ?? {})

    const timeoutMs = opts.timeoutMs ?? 60_000
    const { code, signal, stdout, stderr, timedOut } = await new Promise<{
      code: number | null
      signal: NodeJS.Signals | null
      stdout: string
      stderr: string
      timedOut: boolean
    }>((resolve, reject) => {
      // Own process group, so that a timeout also kills whatever the action spawned.
      const child = spawn(process.execPath, [script], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      const out: Buffer[] = []
      const err: Buffer[] = []
      let timedOut = false
      child.stdout.on('data', (c: Buffer) => out.push(c))
      child.stderr.on('data', (c: Buffer) => err.push(c))
      const timer = setTimeout(() => {
        timedOut = true
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
        } catch {
          child.kill('SIGKILL')
        }
      }, timeoutMs)
      child.once('error', (e) => {
        clearTimeout(timer)
        reject(e)
      })
      child.once('close', (code, signal) => {
        clearTimeout(timer)
        resolve({ code, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
      })
    })

    const [outputText, summary, stateText, envText, pathText] = await Promise.all(
      [outputFile, summaryFile, stateFile, envFile, pathFile].map((f) => readFile(f, 'utf8')),
    )
    return {
      code: code ?? -1,
      stdout,
      stderr,
      outputs: parseFileCommand(outputText!, 'GITHUB_OUTPUT'),
      summary: summary!,
      state: parseFileCommand(stateText!, 'GITHUB_STATE'),
      exportedEnv: parseFileCommand(envText!, 'GITHUB_ENV'),
      addedPath: pathText!.split(/\r?\n/).filter((l) => l.trim() !== ''),
      commands: parseWorkflowCommands(stdout),
      signal,
      timedOut,
      env,
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}
