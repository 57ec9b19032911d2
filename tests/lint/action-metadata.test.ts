import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  BRANDING_COLORS,
  REPO_ROOT,
  checkActionMetadata,
  findActionMetadataFiles,
  formatFindings,
  parseYaml,
  readYamlFile,
  type Finding,
} from './yaml-files.js'
import { BRANDING_COLORS as ALLOWED_COLORS, BRANDING_ICONS, OMITTED_ICONS, brandingProblems } from '../../src/core/branding.js'

// ---------------------------------------------------------------------------------------------------------------------
// Real action.yml files
// ---------------------------------------------------------------------------------------------------------------------

const actionFiles = findActionMetadataFiles()
const NONE_FOUND = 'SKIPPED: no action.yml found yet (expected ./action.yml and/or actions/<name>/action.yml)'

describe('action metadata files', () => {
  // Skipped (not failed) only while no action.yml exists at all; as soon as one exists every file is checked below.
  it.skipIf(actionFiles.length === 0)(
    actionFiles.length === 0 ? NONE_FOUND : `discovers ${actionFiles.length} action.yml file(s): ${actionFiles.join(', ')}`,
    () => {
      expect(actionFiles.length).toBeGreaterThan(0)
    },
  )

  const distExists = existsSync(join(REPO_ROOT, 'dist'))
  for (const rel of actionFiles) {
    it(`${rel}: name, description, branding, runs (node24 -> dist/<name>/index.js${distExists ? ', exists' : ''}), inputs, outputs`, () => {
      const findings = checkActionMetadata(readYamlFile(rel))
      expect(findings, formatFindings(findings, rel)).toEqual([])
    })
  }
})

// ---------------------------------------------------------------------------------------------------------------------
// Branding: GitHub's lists (metadata syntax, #brandingicon and #brandingcolor), as GitHub's own action.yml parser holds them
// ---------------------------------------------------------------------------------------------------------------------

const parserSchema = JSON.parse(
  // Not among the package's exports (only its modules are): read from the installed package.
  readFileSync(join(REPO_ROOT, 'node_modules/@actions/workflow-parser/dist/action-v1.0.min.json'), 'utf8'),
) as { definitions: Record<string, { 'allowed-values': string[]; description: string }> }
const PARSER_ICONS = parserSchema.definitions['branding-icon']['allowed-values']
const PARSER_COLORS = parserSchema.definitions['branding-color']['allowed-values']

describe('branding', () => {
  for (const rel of actionFiles) {
    it(`${rel}: its icon and colour are on GitHub's lists`, () => {
      const { data } = readYamlFile(rel) as { data: { branding: { icon: string; color: string } } }
      expect(brandingProblems(data.branding)).toEqual([])
      expect(PARSER_ICONS).toContain(data.branding.icon)
      expect(PARSER_COLORS).toContain(data.branding.color)
    })
  }

  it("src/core/branding.ts lists exactly the icons GitHub's parser allows (Feather v4.28.0 less the omitted ones)", () => {
    expect(parserSchema.definitions['branding-icon'].description).toMatch(/v4\.28\.0 Feather icon/)
    expect([...BRANDING_ICONS].sort()).toEqual([...PARSER_ICONS].sort())
    expect(BRANDING_ICONS.filter((i) => (OMITTED_ICONS as readonly string[]).includes(i))).toEqual([])
    for (const omitted of OMITTED_ICONS) expect(parserSchema.definitions['branding-icon'].description).toContain(omitted)
  })

  it("its colours are the documented ones: the parser's, and black, which the docs list and the parser does not yet", () => {
    expect([...ALLOWED_COLORS].sort()).toEqual([...PARSER_COLORS, 'black'].sort())
    expect([...ALLOWED_COLORS].sort()).toEqual([...BRANDING_COLORS].sort())
  })

  it('refuses `key` (omitted by GitHub), an unknown icon and an unknown colour, each in a sentence', () => {
    expect(brandingProblems({ icon: 'key', color: 'green' })).toEqual([
      "branding.icon `key` is a Feather icon GitHub omits; pick one of GitHub's supported icons",
    ])
    expect(brandingProblems({ icon: 'table', color: 'grey' })).toHaveLength(2)
    expect(brandingProblems({})).toHaveLength(2)
    expect(brandingProblems({ icon: 'lock', color: 'gray-dark' })).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------------------------------
// Unit tests for checkActionMetadata (always run, so the check is proven even before any action.yml exists)
// ---------------------------------------------------------------------------------------------------------------------

const GOOD = `
name: Cutover gate
author: someone
description: Blocks the go-live until the gate passes
branding:
  icon: shield
  color: gray-dark
inputs:
  token:
    description: GitHub token
    required: true
  timeout:
    description: Timeout
    required: false
    default: '30s'
outputs:
  result:
    description: pass or fail
runs:
  using: node24
  main: ../../dist/gate/index.js
  post: ../../dist/gate/index.js
`

const check = (text: string, path = 'actions/gate/action.yml', options: Parameters<typeof checkActionMetadata>[1] = {}): Finding[] =>
  checkActionMetadata(parseYaml(text, path), { checkDistExists: false, ...options })

const messages = (findings: readonly Finding[]): string => formatFindings(findings)

describe('checkActionMetadata: compliant metadata', () => {
  it('accepts a well-formed actions/<name>/action.yml', () => {
    const findings = check(GOOD)
    expect(findings, messages(findings)).toEqual([])
  })

  it('accepts the root action.yml pointing at dist/checklist/index.js', () => {
    const root = GOOD.replace(/\.\.\/\.\.\/dist\/gate/g, 'dist/checklist')
    const findings = check(root, 'action.yml')
    expect(findings, messages(findings)).toEqual([])
  })

  it('accepts every documented branding color', () => {
    for (const color of BRANDING_COLORS) expect(check(GOOD.replace('color: gray-dark', `color: ${color}`))).toEqual([])
  })

  it('accepts metadata without inputs or outputs', () => {
    const text = GOOD.replace(/^inputs:[\s\S]*?(?=^runs:)/m, '')
    expect(text).not.toMatch(/inputs|outputs/)
    expect(check(text)).toEqual([])
  })
})

describe('checkActionMetadata: catches bad metadata', () => {
  const cases: [label: string, mutate: (s: string) => string, path: RegExp][] = [
    ['missing name', (s) => s.replace('name: Cutover gate\n', ''), /^name$/],
    ['missing description', (s) => s.replace('description: Blocks the go-live until the gate passes\n', ''), /^description$/],
    ['empty description', (s) => s.replace('description: Blocks the go-live until the gate passes', "description: ''"), /^description$/],
    ['missing branding', (s) => s.replace(/branding:\n {2}icon: shield\n {2}color: gray-dark\n/, ''), /^branding$/],
    ['missing branding.icon', (s) => s.replace('  icon: shield\n', ''), /^branding\.icon$/],
    ['missing branding.color', (s) => s.replace('  color: gray-dark\n', ''), /^branding\.color$/],
    ['invalid branding.color', (s) => s.replace('color: gray-dark', 'color: grey'), /^branding\.color$/],
    ['runs.using node20', (s) => s.replace('using: node24', 'using: node20'), /^runs\.using$/],
    ['runs.using composite', (s) => s.replace('using: node24', 'using: composite'), /^runs\.using$/],
    ['missing runs.main', (s) => s.replace('  main: ../../dist/gate/index.js\n', ''), /^runs\.main$/],
    ['runs.main relative to the wrong folder', (s) => s.replace('main: ../../dist', 'main: ../dist'), /^runs\.main$/],
    ['runs.main pointing at src', (s) => s.replace('main: ../../dist/gate/index.js', 'main: ../../src/actions/gate.ts'), /^runs\.main$/],
    [
      'runs.main with a different file name',
      (s) => s.replace('main: ../../dist/gate/index.js', 'main: ../../dist/gate/main.js'),
      /^runs\.main$/,
    ],
    ['runs.main for another action', (s) => s.replace('main: ../../dist/gate/index.js', 'main: ../../dist/other/index.js'), /^runs\.main$/],
    ['bad runs.post', (s) => s.replace('post: ../../dist/gate/index.js', 'post: post.js'), /^runs\.post$/],
    ['missing runs', (s) => s.replace(/runs:\n[\s\S]*$/, ''), /^runs$/],
    ['input without description', (s) => s.replace('    description: GitHub token\n', ''), /^inputs\.token$/],
    ['input with a non-string default', (s) => s.replace("default: '30s'", 'default: 30'), /^inputs\.timeout\.default$/],
    ['input with a boolean default', (s) => s.replace("default: '30s'", 'default: false'), /^inputs\.timeout\.default$/],
    ['input with a non-boolean required', (s) => s.replace('required: true', "required: 'yes'"), /^inputs\.token\.required$/],
    [
      'input that is not a mapping',
      (s) => s.replace(/ {2}token:\n {4}description: GitHub token\n {4}required: true\n/, '  token: GitHub token\n'),
      /^inputs\.token$/,
    ],
    ['output without description', (s) => s.replace('    description: pass or fail\n', '    value: x\n'), /^outputs\.result$/],
    ['misspelled top-level key', (s) => s.replace('outputs:', 'output:'), /^output$/],
  ]

  it.each(cases)('flags %s', (_label, mutate, path) => {
    const text = mutate(GOOD)
    expect(text, 'mutation did not change the fixture').not.toBe(GOOD)
    const findings = check(text)
    expect(findings.length, messages(findings)).toBeGreaterThan(0)
    expect(findings.every((f) => f.rule === 'action-metadata')).toBe(true)
    expect(
      findings.some((f) => path.test(f.path.join('.'))),
      messages(findings),
    ).toBe(true)
  })

  it('flags a non-mapping document', () => {
    expect(check('- just\n- a list\n')).toHaveLength(1)
  })

  it('reports the line of the offending node', () => {
    const findings = check(GOOD.replace('color: gray-dark', 'color: pink'))
    expect(findings).toHaveLength(1)
    expect(findings[0].line).toBe(GOOD.split('\n').findIndex((l) => l.includes('color: gray-dark')) + 1)
  })
})

describe('checkActionMetadata: entry point existence', () => {
  const root = mkdtempSync(join(tmpdir(), 'action-metadata-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true })
    writeFileSync(join(root, rel), text)
  }

  it('does not require dist/ files when dist/ does not exist (default)', () => {
    expect(checkActionMetadata(parseYaml(GOOD, 'actions/gate/action.yml'), { root })).toEqual([])
  })

  it('requires the entry point once dist/ exists', () => {
    write('dist/other/index.js', '')
    const findings = checkActionMetadata(parseYaml(GOOD, 'actions/gate/action.yml'), { root })
    expect(findings.map((f) => f.path.join('.'))).toEqual(['runs.main', 'runs.post'])
    expect(findings[0].message).toMatch(/dist\/gate\/index\.js` does not exist/)
    write('dist/gate/index.js', '')
    expect(checkActionMetadata(parseYaml(GOOD, 'actions/gate/action.yml'), { root })).toEqual([])
  })
})
