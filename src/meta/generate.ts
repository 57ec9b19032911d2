/**
 * Everything written from the specs, in memory: each `actions/<name>/action.yml` and the root
 * `action.yml`, `cutover.schema.json`, `docs/actions/<name>.md` and the README's table of actions
 * (between its markers). `npm run generate` writes the files (scripts/generate.mjs), and a test
 * regenerates them and compares, so a spec and what is committed cannot drift apart.
 *
 * Deterministic: actions in name order (the checklist first), inputs in spec order, no dates, and
 * every file as Prettier writes it, so `prettier --check .` holds for what is committed.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import * as prettier from 'prettier'
import { stringify as stringifyYaml } from 'yaml'
import { checklistAction, checklistInputs, checklistOutputs, configJsonSchema } from '../core/checklist.js'
import { commonInputs, type InputRule, type InputSpecs } from '../core/inputs.js'
import { commonOutputs, type ActionMeta, type Gate } from '../core/gate.js'
import { brandingProblems } from '../core/branding.js'
import { gates } from '../gates/index.js'
import { cell, table } from '../lib/markdown.js'

/** One action as the generated files describe it. */
export interface ActionDoc extends ActionMeta {
  name: string
  /** Where its action.yml is: `action.yml` for the checklist, `actions/<name>/action.yml` for a gate. */
  metadataPath: string
  /** runs.main, relative to the action.yml. */
  main: string
  /** How a workflow names it. */
  uses: string
  inputs: InputSpecs
  outputs: Record<string, string>
  rules: readonly InputRule[]
}

export const README_START = '<!-- actions:start -->'
export const README_END = '<!-- actions:end -->'
const OWNER = '<owner>/cutover-gates'
const REF = '<full-commit-sha>'

/** A gate's action: its own inputs, then the common ones it does not declare itself. */
function gateAction(gate: Gate): ActionDoc {
  const problems = [
    ...(gate.title ? [] : ['a `title`']),
    ...(gate.description ? [] : ['a `description`']),
    ...(gate.branding ? brandingProblems(gate.branding) : ['a `branding`']),
  ]
  if (problems.length) throw new Error(`gate ${gate.name}: its spec needs ${problems.join(', ')} to generate its action`)
  const common: InputSpecs = { ...commonInputs }
  // The id defaults to the action's name: say which.
  common.id = { ...commonInputs.id, description: commonInputs.id.description.replace('the action name', `\`${gate.name}\``) }
  const inputs: InputSpecs = { ...gate.inputs }
  for (const [k, s] of Object.entries(common)) if (!Object.hasOwn(inputs, k)) inputs[k] = s
  return {
    name: gate.name,
    title: gate.title!,
    description: gate.description!,
    branding: gate.branding!,
    example: gate.example,
    metadataPath: `actions/${gate.name}/action.yml`,
    main: `../../dist/${gate.name}/index.js`,
    uses: `${OWNER}/actions/${gate.name}@${REF}`,
    inputs,
    outputs: { ...commonOutputs, ...gate.outputs },
    rules: gate.rules ?? [],
  }
}

/** Every action: the checklist (the root action.yml), then each gate in name order. */
export function actionDocs(registry: Record<string, Gate> = gates): ActionDoc[] {
  const checklist: ActionDoc = {
    name: 'checklist',
    ...checklistAction,
    metadataPath: 'action.yml',
    main: 'dist/checklist/index.js',
    uses: `${OWNER}@${REF}`,
    inputs: checklistInputs,
    outputs: checklistOutputs,
    rules: [],
  }
  const own = Object.values(registry).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return [checklist, ...own.map(gateAction)]
}

/** The action.yml, as GitHub reads it: every input with its description, `required` and default. */
export function actionYml(a: ActionDoc): string {
  const inputs = Object.fromEntries(
    Object.entries(a.inputs).map(([k, s]) => [
      k,
      { description: s.description, required: Boolean(s.required), ...(s.default !== undefined ? { default: s.default } : {}) },
    ]),
  )
  const doc = {
    name: `Cutover Gates ${a.name}`,
    description: a.description,
    author: 'Cutover Gates',
    branding: { icon: a.branding.icon, color: a.branding.color },
    inputs,
    outputs: Object.fromEntries(Object.entries(a.outputs).map(([k, description]) => [k, { description }])),
    runs: { using: 'node24', main: a.main },
  }
  return `# Generated from the spec by \`npm run generate\` (src/meta/generate.ts): edit the spec, not this file.\n${stringifyYaml(doc, { lineWidth: 0, version: '1.1' })}`
}

const code = (s: string) => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``)

/** The docs page: what the action proves, a usage example, its inputs, their rules and its outputs. */
export function docsPage(a: ActionDoc): string {
  const step = { uses: a.uses, ...(a.example ? { with: a.example } : {}) }
  const inputs = table(
    ['input', 'description', 'default', 'required', 'secret'],
    Object.entries(a.inputs).map(([k, s]) => [
      code(k),
      cell(s.description),
      s.default !== undefined ? cell(code(s.default)) : '',
      s.required ? 'yes' : 'no',
      s.secret ? 'yes' : 'no',
    ]),
  )
  const outputs = table(
    ['output', 'description'],
    Object.entries(a.outputs).map(([k, d]) => [code(k), cell(d)]),
  )
  return [
    `<!-- Generated from the spec by \`npm run generate\` (src/meta/generate.ts): edit the spec, not this file. -->`,
    `# ${a.title}: \`${a.name}\``,
    a.description,
    '## Usage',
    '```yaml\n' + stringifyYaml([step], { lineWidth: 0 }).trimEnd() + '\n```',
    '## Inputs',
    inputs,
    ...(a.rules.length ? ['Inputs that go together:', a.rules.map((r) => `- ${r.text}`).join('\n')] : []),
    '## Outputs',
    outputs,
  ].join('\n\n')
}

/** The README's table of actions, one row each, linking its docs page. */
export function readmeTable(docs: ActionDoc[]): string {
  return table(
    ['action', 'checks'],
    docs.map((a) => [`[${a.name}](docs/actions/${a.name}.md)`, cell(a.description)]),
  )
}

/** The README with the table between its markers; refused when the markers are missing or out of order. */
export function spliceReadme(readme: string, generated: string): string {
  const start = readme.indexOf(README_START)
  const end = readme.indexOf(README_END)
  if (start < 0 || end < 0 || end < start || readme.indexOf(README_START, start + 1) >= 0 || readme.indexOf(README_END, end + 1) >= 0)
    throw new Error(`README.md needs exactly one ${README_START} followed by one ${README_END}, for the table of actions`)
  return `${readme.slice(0, start + README_START.length)}\n\n${generated}\n\n${readme.slice(end)}`
}

async function pretty(text: string, file: string, root: string): Promise<string> {
  const options = (await prettier.resolveConfig(path.join(root, file))) ?? {}
  return prettier.format(text, { ...options, filepath: path.join(root, file) })
}

/**
 * Every generated file by its path from the repository root, as it must be committed. The README
 * is read from `root` and only its part between the markers changes.
 */
export async function generateAll(root: string, registry: Record<string, Gate> = gates): Promise<Map<string, string>> {
  const docs = actionDocs(registry)
  const out = new Map<string, string>()
  for (const a of docs) {
    out.set(a.metadataPath, actionYml(a))
    out.set(`docs/actions/${a.name}.md`, docsPage(a))
  }
  out.set('cutover.schema.json', JSON.stringify(configJsonSchema(registry), null, 2))
  out.set('README.md', spliceReadme(await readFile(path.join(root, 'README.md'), 'utf8'), readmeTable(docs)))
  const formatted = new Map<string, string>()
  for (const [file, text] of [...out].sort(([a], [b]) => (a < b ? -1 : 1))) formatted.set(file, await pretty(text, file, root))
  return formatted
}
