// Each example workflow says in its first comment what a user must set up before it runs: the
// secrets it reads, the environments it needs, and the permissions it grants.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const dir = path.resolve(import.meta.dirname, '../../examples/workflows')
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'))

describe.each(files)('examples/workflows/%s', (file) => {
  const text = readFileSync(path.join(dir, file), 'utf8')
  const header = text
    .split('\n')
    .filter((_, i, lines) => lines.slice(0, i + 1).every((l) => l.startsWith('#') || l.trim() === ''))
    .join('\n')

  it('opens with a set-up comment naming permissions and environments', () => {
    expect(header).toMatch(/Set up first/)
    expect(header).toMatch(/Permissions:/)
    expect(header).toMatch(/[Ee]nvironment/)
  })

  it('names every secret it reads in that comment', () => {
    const secrets = [...new Set([...text.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!))]
    for (const name of secrets) expect(header, `${file} reads secrets.${name}`).toContain(name)
  })
})
