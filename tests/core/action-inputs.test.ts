// One schema is the source of truth: every action.yml declares exactly the inputs its schema
// accepts, with the same defaults and the same required flags.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { checklistInputs } from '../../src/core/checklist.js'
import { commonInputs, type InputSpecs } from '../../src/core/inputs.js'
import { gates } from '../../src/gates/index.js'

const root = path.resolve(import.meta.dirname, '../..')
const actionDirs = readdirSync(path.join(root, 'actions'))

interface ActionYml {
  inputs: Record<string, { default?: unknown; required?: boolean; description?: string }>
}

function declared(file: string) {
  const yml = parse(readFileSync(file, 'utf8')) as ActionYml
  return Object.fromEntries(Object.entries(yml.inputs ?? {}).map(([k, v]) => [k, { default: v.default, required: v.required === true }]))
}

function expected(specs: InputSpecs) {
  return Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, { default: s.default, required: s.required === true }]))
}

describe('action.yml inputs match the schemas', () => {
  it('root action.yml is the checklist', () => {
    expect(declared(path.join(root, 'action.yml'))).toEqual(expected(checklistInputs))
  })

  it.each(actionDirs)('actions/%s/action.yml', (name) => {
    const gate = gates[name]
    expect(gate, `actions/${name} has no gate named ${name} in src/gates/index.ts`).toBeDefined()
    expect(declared(path.join(root, 'actions', name, 'action.yml'))).toEqual(expected({ ...commonInputs, ...gate.inputs }))
  })

  it('every gate has an action', () => {
    expect(Object.keys(gates).sort()).toEqual([...actionDirs].sort())
  })
})
