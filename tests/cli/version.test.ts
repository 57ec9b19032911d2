// `cutover --version` reads the version of the package it was installed from, and says so when it cannot.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageVersion } from '../../src/cli/version.js'

async function tree(pkgs: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'cutover-version-'))
  for (const [dir, pkg] of Object.entries(pkgs)) {
    await mkdir(path.join(root, dir), { recursive: true })
    await writeFile(path.join(root, dir, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg))
  }
  await mkdir(path.join(root, 'pkg/dist/cli'), { recursive: true })
  return root
}

describe('packageVersion', () => {
  it("takes the nearest package.json with the cutover bin, past the bundle's own and a broken one", async () => {
    const root = await tree({
      pkg: { name: 'x', version: '1.2.3', bin: { cutover: 'dist/cli/index.js' } },
      'pkg/dist/cli': { type: 'module' },
      'pkg/dist': '{broken',
    })
    expect(packageVersion(path.join(root, 'pkg/dist/cli'))).toBe('1.2.3')
  })

  it('fails with a sentence when no package.json is ours, or ours gives no version', async () => {
    const none = await tree({ 'pkg/dist/cli': { type: 'module' } })
    expect(() => packageVersion(path.join(none, 'pkg/dist/cli'))).toThrow(/no package\.json of cutover lies above/)
    const bad = await tree({ pkg: { bin: { cutover: 'x' }, version: '' } })
    expect(() => packageVersion(path.join(bad, 'pkg/dist/cli'))).toThrow(/gives no version such as 1\.2\.3 \(it says ""\)/)
  })
})
