// What `npm run generate` writes (src/meta/generate.ts) is what is committed: every action.yml,
// cutover.schema.json, docs/actions/*.md and the README's table of actions. Each action.yml says
// what its spec says (names, required, defaults, outputs), every action has a docs page and a
// README row, and a spec without its metadata cannot generate at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { defineGate } from '../../src/core/gate.js'
import { input, parseInputs } from '../../src/core/inputs.js'
import { gates } from '../../src/gates/index.js'
import { README_END, README_START, actionDocs, generateAll, spliceReadme } from '../../src/meta/generate.js'

const root = path.resolve(import.meta.dirname, '../..')
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8')
const docs = actionDocs()
const actionDirs = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

/** A workflow's `${{ secrets.NAME }}` as the value of that kind the runner would put there. */
const withSecrets = (example: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(example).map(([k, v]) => [
      k,
      v.replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_m, name: string) =>
        /DB_URL$/.test(name)
          ? 'postgresql://ro_user:planted-pw@db.example.com:5432/app'
          : /WEBHOOK_URL$/.test(name)
            ? 'https://hooks.slack.com/services/T0000/B0000/plantedwebhooksecret'
            : 'planted-secret-value-7f3a9c',
      ),
    ]),
  )

describe('generated files', async () => {
  const files = await generateAll(root)

  it('cover every action.yml, every docs page, the schema and the README', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        'README.md',
        'action.yml',
        'cutover.schema.json',
        ...actionDirs.map((d) => `actions/${d}/action.yml`),
        ...['checklist', ...actionDirs].map((n) => `docs/actions/${n}.md`),
      ].sort(),
    )
  })

  it.each([...files.keys()])('%s is what `npm run generate` writes (run it and commit)', (file) => {
    expect(existsSync(path.join(root, file)), `${file} is missing`).toBe(true)
    expect(read(file)).toBe(files.get(file))
  })

  it('docs/actions holds no page of an action that is gone', () => {
    const pages = readdirSync(path.join(root, 'docs/actions')).map((f) => `docs/actions/${f}`)
    expect(pages.filter((p) => !files.has(p))).toEqual([])
  })
})

describe('every action', () => {
  it('is a registered gate, one folder in actions/ each, and the registry has no gate without one', () => {
    expect(actionDirs).toEqual(Object.keys(gates).sort())
  })

  it.each(['checklist', ...actionDirs])('%s: has a docs page and a README row linking it', (name) => {
    expect(existsSync(path.join(root, `docs/actions/${name}.md`))).toBe(true)
    const readme = read('README.md')
    const table = readme.slice(readme.indexOf(README_START), readme.indexOf(README_END))
    expect(table).toMatch(new RegExp(`^\\| \\[${name}\\]\\(docs/actions/${name}\\.md\\) +\\| \\S`, 'm'))
  })

  it.each(docs.map((a) => [a.metadataPath, a] as const))('%s: inputs and outputs are the spec’s', (file, a) => {
    const yml = parse(read(file)) as {
      inputs: Record<string, { required: boolean; default?: string }>
      outputs: Record<string, unknown>
      runs: { using: string; main: string }
    }
    const spec = Object.entries(a.inputs).map(([k, s]) => [k, Boolean(s.required), s.default])
    expect(Object.entries(yml.inputs).map(([k, s]) => [k, s.required, s.default])).toEqual(spec)
    expect(Object.keys(yml.outputs)).toEqual(Object.keys(a.outputs))
    expect(yml.runs).toEqual({ using: 'node24', main: file === 'action.yml' ? 'dist/checklist/index.js' : `../../dist/${a.name}/index.js` })
  })

  it.each(actionDirs)('%s: declares every output its gate declares, after status, report, summary and ledger-head', (name) => {
    const yml = parse(read(`actions/${name}/action.yml`)) as { outputs: Record<string, unknown> }
    expect(Object.keys(yml.outputs)).toEqual(['status', 'report', 'summary', 'ledger-head', ...Object.keys(gates[name].outputs ?? {})])
  })

  it.each(docs.map((a) => [a.metadataPath, a] as const))(
    '%s: every default reads back as the same string in YAML 1.1 too (no bare on/off/yes/no)',
    (file, a) => {
      const yml = parse(read(file), { version: '1.1' }) as { inputs: Record<string, { default?: unknown }> }
      for (const [k, s] of Object.entries(a.inputs)) expect(yml.inputs[k].default, k).toBe(s.default)
    },
  )

  it.each(docs.filter((a) => a.example).map((a) => [a.name, a] as const))('%s: the docs example is accepted by its inputs', (_n, a) => {
    expect(() => parseInputs(a.inputs, withSecrets(a.example!))).not.toThrow()
  })
})

describe('the generator refuses', () => {
  const bare = defineGate({
    name: 'bare',
    category: 'Test',
    criteria: { en: 'bare', tr: 'bare' },
    inputs: { x: input.string('x') },
    run: async () => ({ checks: [] }),
  })

  it('a gate without title, description or branding, naming what is missing', () => {
    expect(() => actionDocs({ bare })).toThrow(/gate bare: its spec needs a `title`, a `description`, a `branding`/)
  })

  it('a branding GitHub does not accept', () => {
    const keyed = { ...bare, title: 'T', description: 'D', branding: { icon: 'key', color: 'green' } } as unknown as typeof bare
    expect(() => actionDocs({ bare: keyed })).toThrow(/`key` is a Feather icon GitHub omits/)
  })

  it.each([
    ['no markers', 'text'],
    ['only the start', `a\n${README_START}\nb`],
    ['end before start', `${README_END}\n${README_START}`],
    ['two starts', `${README_START}\n${README_START}\n${README_END}`],
  ])('a README with %s', (_l, text) => {
    expect(() => spliceReadme(text, '| t |')).toThrow(/exactly one <!-- actions:start --> followed by one <!-- actions:end -->/)
  })

  it('and changes nothing outside the markers', () => {
    const out = spliceReadme(`before\n${README_START}\nold\n${README_END}\nafter\n`, 'NEW')
    expect(out).toBe(`before\n${README_START}\n\nNEW\n\n${README_END}\nafter\n`)
  })
})
