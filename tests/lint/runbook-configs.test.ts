// The example checklists, one per seed runbook (examples/runbooks/*/cutover.yml) and the demo's:
// each parses as cutover.yml, validates against the JSON Schema `cutover schema` prints, names
// only gates that exist, and gives every gate inputs its schema accepts. Nothing is run. Every
// gate of a runbook quotes the runbook line it enforces, in a comment just above it.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { configJsonSchema } from '../../src/core/checklist.js'
import { parseConfig } from '../../src/core/config.js'
import { InputError, parseInputs } from '../../src/core/inputs.js'
import { gates } from '../../src/gates/index.js'

const root = path.resolve(import.meta.dirname, '../..')
const runbooks = readdirSync(path.join(root, 'examples/runbooks'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `examples/runbooks/${d.name}/cutover.yml`)
const files = [...runbooks, 'examples/demo/cutover.yml']

/** A value of the right kind for every `${NAME}`: database URLs, http URLs, else a planted secret. */
const env = new Proxy({} as Record<string, string>, {
  get: (_t, name) => {
    const n = String(name)
    if (/(DB|PG)(_SCRATCH|_COPY|_MIGRATION)?_URL$|_DB_.*URL$/.test(n)) return 'postgresql://ro_user:pl%40nted-pw@db.example.com:5432/app'
    if (/WEBHOOK_URL$/.test(n)) return 'https://hooks.slack.com/services/T0000/B0000/plantedwebhooksecret'
    if (/(_URL|_API)$/.test(n)) return 'https://api.example.com'
    return 'planted-value-7f3a9c'
  },
})

const validate = new Ajv2020({ strict: false, allErrors: true }).compile(configJsonSchema(gates) as object)

describe('example checklists', () => {
  it('there is one per seed runbook', () => {
    expect(runbooks.map((f) => f.split('/')[2]).sort()).toEqual(['d-1', 'payments', 'summit', 'wien-pilot'])
  })

  describe.each(files)('%s', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8')

    it('is valid against the cutover.yml JSON Schema', () => {
      const ok = validate(parse(text))
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([])
      expect(ok).toBe(true)
    })

    it('parses, and every gate exists and accepts its inputs', () => {
      const config = parseConfig(text, file, env)
      expect(config.gates.length).toBeGreaterThan(0)
      const problems: string[] = []
      for (const entry of config.gates) {
        const gate = gates[entry.uses]
        if (!gate) {
          problems.push(`${entry.id}: no gate \`${entry.uses}\``)
          continue
        }
        try {
          parseInputs(gate.inputs, entry.with, `${file} gate "${entry.id}"`)
        } catch (err) {
          if (!(err instanceof InputError)) throw err
          problems.push(...err.problems.map((p) => `${entry.id}: ${p}`))
        }
      }
      expect(problems).toEqual([])
    })
  })

  it.each(runbooks)('%s: every gate quotes the runbook line it enforces', (file) => {
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n')
    const unquoted: string[] = []
    lines.forEach((line, i) => {
      const m = /^ {2}- id: (\S+)/.exec(line)
      if (!m) return
      const comments: string[] = []
      for (let j = i - 1; j >= 0 && /^\s*#/.test(lines[j]); j--) comments.push(lines[j])
      if (!comments.some((c) => /"[^"]{8,}"/.test(c))) unquoted.push(m[1])
    })
    expect(unquoted).toEqual([])
  })
})
