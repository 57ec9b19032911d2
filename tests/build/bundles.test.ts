// Each action's bundle holds only what it runs (issue 13, "Lean bundles"): a real build into a
// temporary folder, then the modules an entry loads at start-up (its static imports, followed
// through dist/chunks) are searched for the code of other gates and of the GitHub client.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gates } from '../../src/gates/index.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
let out: string

beforeAll(() => {
  out = mkdtempSync(path.join(tmpdir(), 'cutover-build-'))
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--out-dir', out], { cwd: ROOT, stdio: 'pipe' })
}, 120_000)
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** Static imports only: `import ... from "x"` and `import "x"`, not `import("x")`. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^;'"()]*?\sfrom\s*|[^;'"()]*?from|)["']([^"']+)["']/g)].map((m) => m[1])
}

/** The text of every file `entry` loads before it runs, itself included. */
function startUp(entry: string): Map<string, string> {
  const seen = new Map<string, string>()
  const walk = (file: string) => {
    if (seen.has(file)) return
    const code = readFileSync(file, 'utf8')
    seen.set(file, code)
    for (const spec of staticImports(code)) if (spec.startsWith('.')) walk(path.resolve(path.dirname(file), spec))
  }
  walk(path.join(out, entry))
  return seen
}

const text = (files: Map<string, string>) => [...files.values()].join('\n')

/** A gate's definition in bundled code: its criteria, both languages side by side (core's dictionary has some words too). */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const defines = (code: string, g: { criteria: { en: string; tr: string } }) =>
  new RegExp(`en:\\s*["'\`]${escape(g.criteria.en)}["'\`],\\s*tr:\\s*["'\`]${escape(g.criteria.tr)}["'\`]`).test(code)

describe('lean bundles', () => {
  it('the import reader sees static imports and not dynamic ones', () => {
    expect(staticImports(`import{a as b}from"../chunks/x.js";import"./y.js";const c=await import("./z.js")`)).toEqual([
      '../chunks/x.js',
      './y.js',
    ])
  })

  it('readyz starts without pg, SSHSIG, yaml or the GitHub client; its check run loads them on use', () => {
    const files = startUp('readyz/index.js')
    const code = text(files)
    expect(code.includes('application/health+json')).toBe(true)
    // The Turkish dictionary (core) names SSHSIG, pg_dump and minisign in words, so the code is told by
    // its chunks: no other gate's chunk (signatures, drills, SQL with pg) is loaded at start-up.
    const names = [...files.keys()].map((f) => path.basename(f))
    for (const foreign of ['policy-signatures-', 'dr-drill-', 'sql-', 'key-input-'])
      expect(
        names.filter((n) => n.startsWith(foreign)),
        `${foreign}* is loaded at readyz start-up`,
      ).toEqual([])
    for (const foreign of ['BEGIN SSH SIGNATURE', '--no-owner', 'client_encoding', 'octokit-core.js', 'x-ratelimit-remaining', 'YAMLMap'])
      expect(code.includes(foreign), `${foreign} is loaded at readyz start-up`).toBe(false)
    // The check-run code is in the build, behind a dynamic import.
    expect(code).toMatch(/import\(["'`][^"'`]*client[^"'`]*["'`]\)/)
  })

  it('every gate action loads only its own gate: no other gate’s criteria are in the code it starts with', () => {
    const actions = readdirSync(path.join(ROOT, 'src/actions'))
      .filter((f) => f.endsWith('.ts') && !['runner.ts', 'checklist.ts'].includes(f))
      .map((f) => path.basename(f, '.ts'))
    expect(actions.length).toBe(Object.keys(gates).length)
    for (const name of actions) {
      const code = text(startUp(`${name}/index.js`))
      expect(defines(code, gates[name]), `${name} has its own gate`).toBe(true)
      // decide names the gates whose reports it reads: it alone carries the registry.
      if (name === 'decide') continue
      for (const other of Object.values(gates))
        if (other.name !== name) expect(defines(code, other), `${name} loads ${other.name}'s code at start-up`).toBe(false)
    }
  })

  it('the checklist loads every gate, and dist/ stays under 3 MB', () => {
    const code = text(startUp('checklist/index.js'))
    for (const g of Object.values(gates)) expect(defines(code, g), g.name).toBe(true)
    const size = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce(
        (n, d) => n + (d.isDirectory() ? size(path.join(dir, d.name)) : statSync(path.join(dir, d.name)).size),
        0,
      )
    expect(size(out)).toBeLessThan(3e6)
  })

  it('a second build gives the same bytes, with one package.json and the licenses', () => {
    const again = mkdtempSync(path.join(tmpdir(), 'cutover-build-'))
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--out-dir', again], { cwd: ROOT, stdio: 'pipe' })
      const list = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
      expect(list(again)).toEqual(list(out))
      for (const f of list(out)) {
        if (statSync(path.join(out, f)).isDirectory()) continue
        expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(out, f))), f).toBe(true)
      }
    } finally {
      rmSync(again, { recursive: true, force: true })
    }
    expect(JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
    const licenses = readFileSync(path.join(out, 'licenses.txt'), 'utf8')
    for (const pkg of ['zod', '@actions/core', 'pg', 'yaml']) expect(licenses).toMatch(new RegExp(`^${pkg} \\d`, 'm'))
  })
})
