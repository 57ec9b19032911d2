// The layers of src/ (eslint.config.js): lib → core → github → gates/<name> → the registry →
// actions and cli. ESLint keeps each import inside its layer; this proves the rule bites on a
// back-edge, and that the import graph of src/ has no circle at all.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')
const eslint = new ESLint({ cwd: ROOT })

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {}\n`, { filePath: path.join(ROOT, file) })
  const rules = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports', 'no-restricted-globals'])
  return result.messages.filter((m) => rules.has(m.ruleId ?? '')).map((m) => m.message)
}

describe('layer rule', () => {
  it.each([
    ['src/core/x.ts', "import { gates } from '../gates/index.js'", /core imports only core and lib/],
    ['src/core/x.ts', "import type { Octokit } from '../github/client.js'", /core imports only core and lib/],
    ['src/lib/x.ts', "import { check } from '../core/result.js'", /lib imports only lib/],
    ['src/lib/signing/x.ts', "import { runGate } from '../../core/gate.js'", /lib imports only lib/],
    ['src/github/x.ts', "import { readyz } from '../gates/readyz/index.js'", /github imports only core and lib/],
    ['src/gates/decide/x.ts', "import { gates } from '../index.js'", /not the registry/],
    ['src/gates/dr-drill/x.ts', "import { sealFolder } from '../evidence/seal.js'", /never imports another gate/],
    ['src/gates/dr-drill/providers/x.ts', "import { judge } from '../../../gates/readyz/gate.js'", /never imports another gate/],
    ['src/gates/approval-guard/x.ts', "import { createClient } from '../../github/client.js'", /through ctx\.github, never the client/],
    [
      'src/gates/readyz/x.ts',
      "import { main } from '../../cli/index.js'",
      /a gate imports core, lib, src\/github's API helpers and its own folder/,
    ],
    ['src/gates/index.ts', "import { judge } from './readyz/gate.js'", /never its internals/],
    ['src/gates/canary/x.ts', "import { readFile } from 'node:fs/promises'", /through ctx\.fs/],
    ['src/gates/evidence/x.ts', "import { lstatSync } from 'node:fs'", /through ctx\.fs/],
    ['src/gates/dr-drill/providers/x.ts', "import { spawn } from 'node:child_process'", /through ctx\.exec/],
    ['src/gates/key-rotation/x.ts', "import tls from 'node:tls'", /through ctx\.tls/],
    ['src/gates/readyz/x.ts', 'setTimeout(() => {}, 10)', /ctx\.timers/],
    ['src/gates/command/x.ts', "import { runProcess } from '../../lib/process.js'", /through ctx\.exec/],
  ])('%s: %s is refused', async (file, source, why) => {
    const messages = await restricted(file, source)
    expect(messages.length, `${file} may not say ${source}`).toBeGreaterThan(0)
    expect(messages.join('\n')).toMatch(why)
  })

  it.each([
    ['src/core/x.ts', "import { MASK } from '../lib/mask.js'"],
    ['src/github/x.ts', "import type { GitHubPort } from '../core/gate.js'"],
    [
      'src/gates/readyz/x.ts',
      "import { classifyBody } from './body.js'\nimport { check } from '../../core/result.js'\nimport { MASK } from '../../lib/mask.js'",
    ],
    ['src/gates/dr-drill/providers/x.ts', "import { describeEnd } from '../../../lib/process.js'\nimport { x } from '../gate.js'"],
    ['src/gates/index.ts', "import { readyz } from './readyz/index.js'"],
    ['src/gates/key-rotation/x.ts', "import type { SecureContext } from 'node:tls'"],
    ['src/lib/x.ts', "import { readFile } from 'node:fs/promises'\nsetTimeout(() => {}, 10)"],
    ['src/lib/x.ts', "import type { Status } from '../core/result.js'"],
    [
      'src/gates/release-freeze/x.ts',
      "import { allItems } from '../../github/pages.js'\nimport { describeEnd } from '../../lib/process.js'",
    ],
    ['src/actions/x.ts', "import { readyz } from '../gates/readyz/index.js'\nimport { createClient } from '../github/client.js'"],
  ])('%s: %s is allowed', async (file, source) => {
    expect(await restricted(file, source)).toEqual([])
  })
})

/** Every relative import of every module under src/, resolved to the file it names. */
function importGraph(): Map<string, string[]> {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name)
      if (d.isDirectory()) walk(p)
      else if (d.name.endsWith('.ts')) files.push(p)
    }
  }
  walk(path.join(ROOT, 'src'))
  const known = new Set(files)
  const graph = new Map<string, string[]>()
  for (const f of files) {
    const text = readFileSync(f, 'utf8')
    const deps: string[] = []
    // Type-only imports vanish at run time, but a circle of types is a circle of design too.
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      const target = path.resolve(path.dirname(f), `${m[1]}.ts`)
      if (known.has(target)) deps.push(target)
    }
    graph.set(f, deps)
  }
  return graph
}

/** The first circle found (as a list of files), or undefined. */
function findCircle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (f: string): string[] | undefined => {
    state.set(f, 'open')
    stack.push(f)
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') return [...stack.slice(stack.indexOf(d)), d]
      if (!state.has(d)) {
        const found = visit(d)
        if (found) return found
      }
    }
    stack.pop()
    state.set(f, 'done')
    return undefined
  }
  for (const f of graph.keys()) {
    if (state.has(f)) continue
    const found = visit(f)
    if (found) return found
  }
  return undefined
}

describe('import graph of src/', () => {
  it('has no circle', () => {
    const circle = findCircle(importGraph())
    expect(circle?.map((f) => path.relative(ROOT, f)).join(' → ')).toBeUndefined()
  })

  it('finds a circle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', []],
    ])
    expect(findCircle(g)).toEqual(['a', 'b', 'c', 'a'])
    expect(
      findCircle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined()
  })
})
