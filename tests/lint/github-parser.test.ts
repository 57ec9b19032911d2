// Every workflow and example, read by GitHub's own workflow parser (the one behind its language
// service), alongside actionlint: it knows the current schema, which contexts each key may use,
// and the functions that exist. The cases below prove it reports what it must.
import { describe, expect, it } from 'vitest'
import { parseGithubWorkflow, readGithubWorkflow } from './github-workflow.js'
import { findWorkflowFiles } from './yaml-files.js'

describe("GitHub's workflow parser", () => {
  const files = findWorkflowFiles()
  it('finds the workflows and the examples', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '.github/workflows/cutover.yml',
        '.github/workflows/release-gates.yml',
        'examples/workflows/cutover-button.yml',
        'examples/workflows/hypercare.yml',
      ]),
    )
  })

  for (const rel of files) {
    it(`${rel}: parses and converts without an error`, async () => {
      const { template, errors } = await readGithubWorkflow(rel)
      expect(errors, errors.join('\n')).toEqual([])
      expect(template.jobs.length).toBeGreaterThan(0)
    })
  }

  const job = (body: string) => `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n${body}`
  it.each([
    ['an unknown key', job('    stepz: []\n'), /Unexpected value 'stepz'/],
    [
      'secrets in a step condition',
      job("    steps:\n      - if: secrets.X != ''\n        run: echo\n"),
      /Unrecognized named-value: 'secrets'/,
    ],
    [
      'steps in a job condition',
      job("    if: steps.x.outcome == 'success'\n    steps: [{ run: echo }]\n"),
      /Unrecognized named-value: 'steps'/,
    ],
    ['a function that does not exist', job('    steps:\n      - if: nope()\n        run: echo\n'), /Unrecognized function: 'nope'/],
    ['an unclosed expression', job('    steps:\n      - run: echo ${{ github.sha\n'), /expression is not closed/],
    [
      'a job that needs one that does not exist',
      'on: push\njobs:\n  a:\n    needs: b\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n',
      /at least one job with no dependencies/,
    ],
    [
      'an input type that does not exist',
      'on:\n  workflow_call:\n    inputs:\n      x:\n        type: strin\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n',
      /Unexpected value 'strin'/,
    ],
  ])('reports %s', async (_, text, message) => {
    const { errors } = await parseGithubWorkflow(text)
    expect(errors.join('\n')).toMatch(message)
  })

  it('adds the implicit success() to a condition without a status function, as GitHub runs it', async () => {
    const { template } = await parseGithubWorkflow(job("    if: github.ref == 'refs/heads/main'\n    steps: [{ run: echo }]\n"))
    expect(template.jobs[0].if.expression).toBe("success() && (github.ref == 'refs/heads/main')")
  })
})
