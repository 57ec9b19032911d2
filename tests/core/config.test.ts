import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/core/config.js'

const yml = `version: 1
gates:
  - id: api
    uses: readyz
    with:
      url: \${BASE}/readyz
      consecutive: 2
  - id: web
    uses: readyz
    with:
      url: [http://a, http://b]
`

describe('cutover.yml', () => {
  it('parses gates with their lines and interpolates the environment', () => {
    const c = parseConfig(yml, 'cutover.yml', { BASE: 'http://127.0.0.1:1' })
    expect(c.gates).toEqual([
      { id: 'api', uses: 'readyz', with: { url: 'http://127.0.0.1:1/readyz', consecutive: 2 }, line: 3 },
      { id: 'web', uses: 'readyz', with: { url: ['http://a', 'http://b'] }, line: 8 },
    ])
  })

  it.each([
    ['an unset variable', yml, /uses \$\{BASE\}, but the environment variable BASE is not set/],
    ['bad YAML', 'version: 1\ngates: [', /cutover.yml:\d+:\d+ is not valid YAML/],
    ['a wrong version', 'version: 2\ngates: []', /version: .*Expected `version: 1`/],
    ['no gates', 'version: 1\ngates: []', /list at least one gate/],
    ['a bad id', 'version: 1\ngates:\n  - id: "a b"\n    uses: readyz', /gates\[0\]\.id/],
    ['a duplicate id', 'version: 1\ngates:\n  - {id: a, uses: readyz}\n  - {id: a, uses: readyz}', /appears twice/],
    ['an unknown key', 'version: 1\ngates:\n  - {id: a, uses: readyz, run: x}', /Unrecognized key/],
  ])('refuses %s with a sentence', (_, text, message) => {
    expect(() => parseConfig(text, 'cutover.yml', {})).toThrow(ConfigError)
    expect(() => parseConfig(text, 'cutover.yml', {})).toThrow(message)
  })
})

describe('loadConfig reads only a bounded regular file', () => {
  it('a FIFO or a device named as the config is refused at once, never read', async () => {
    const { execFileSync } = await import('node:child_process')
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const path = await import('node:path')
    const { loadConfig } = await import('../../src/core/config.js')
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'))
    const fifo = path.join(dir, 'cutover.yml')
    execFileSync('mkfifo', [fifo])
    await expect(loadConfig(fifo, {})).rejects.toThrow(/cannot be used: .* is a named pipe \(FIFO\), not a regular file/)
    await expect(loadConfig('/dev/zero', {})).rejects.toThrow(/cannot be used: \/dev\/zero is a device, not a regular file/)
  })
})
