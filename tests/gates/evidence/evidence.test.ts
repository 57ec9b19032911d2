import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hashFiles } from '../../../src/lib/manifest/hash.js'
import { ManifestError, parseManifest } from '../../../src/lib/manifest/manifest.js'
import { checkEntryPath } from '../../../src/lib/manifest/paths.js'
import { SAMPLE, failing, sealedWorkspace, sh, verify, workspace, writeTree } from './support.js'

describe('evidence: manifests written by other tools', () => {
  it.each(['gnu', 'bsd', 'shasum', 'openssl'] as const)('passes on an intact folder sealed with %s', async (format) => {
    const { ws } = sealedWorkspace(SAMPLE, format)
    const r = await verify(ws, {})
    expect(r.status, JSON.stringify(r.checks, null, 2)).toBe('pass')
    expect(r.outputs.tampered).toBe('false')
    // Passing files are one check, not one each.
    expect(r.checks).toHaveLength(1)
    expect(r.checks[0]).toMatchObject({ name: 'files', observed: '5 of 5 files match' })
    expect(r.checks[0].message).toMatch(/^5 files \(.+\) match the manifest\.$/)
    expect(r.metrics).toMatchObject({ matched: 5, mismatched: 0, missing: 0, extra: 0 })
    expect(r.details).toContain('Manifest')
  })

  it('reads the GNU binary marker (`*`), CRLF lines, upper-case hex and a leading ./', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    const lines = sh('sha256sum', ['-b', '--', ...Object.keys(SAMPLE)], { cwd: dir })
      .toString()
      .trim()
      .split('\n')
    const edited = lines.map((l, i) => (i === 0 ? l.slice(0, 64).toUpperCase() + l.slice(64) : i === 1 ? l.replace('*', '*./') : l))
    writeFileSync(manifest, edited.join('\r\n') + '\r\n')
    expect(sh('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir }).toString()).toBe('')
    const r = await verify(ws, {})
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
  })

  it('finds the manifest by the `manifest` input, relative to `path`', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    mkdirSync(path.join(dir, 'meta'))
    writeFileSync(path.join(dir, 'meta', 'sums.txt'), readFileSync(manifest))
    unlinkSync(manifest)
    // The manifest's own folder is not listed: it is an extra entry only if it holds other files.
    const r = await verify(ws, { manifest: 'meta/sums.txt' })
    expect(r.status, JSON.stringify(r.checks)).toBe('pass')
  })
})

describe('evidence: tampering', () => {
  it('fails and names an altered file, with its location relative to the workspace', async () => {
    const { ws, dir } = sealedWorkspace()
    appendFileSync(path.join(dir, 'release/notes.md'), 'Edited after sealing.\n')
    const r = await verify(ws, {})
    expect(r.status).toBe('fail')
    expect(r.outputs.tampered).toBe('true')
    const bad = failing(r)
    expect(bad).toHaveLength(1)
    expect(bad[0].name).toBe('release/notes.md')
    expect(bad[0].location).toEqual({ path: 'evidence/release/notes.md' })
    expect(bad[0].message).toMatch(
      /release\/notes\.md does not match the manifest \(line \d\): its SHA-256 is [0-9a-f]{16}…, the manifest says [0-9a-f]{16}…/,
    )
    const actual = sh('sha256sum', [path.join(dir, 'release/notes.md')])
      .toString()
      .slice(0, 64)
    expect(bad[0].observed).toBe(`sha256 ${actual}`)
    // A partial match is no passed check (it would carry a tick); the details say how many matched.
    expect(r.checks.find((c) => c.name === 'files')).toBeUndefined()
    expect(r.details).toMatch(/4 files .* match the manifest; 1 listed file does not/)
    expect(r.details).toContain('| `release/notes.md` |')
    expect(r.summary).toMatch(/^evidence: FAIL: release\/notes\.md does not match/)
  })

  it('fails and names a missing file, pointing at its manifest line', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    unlinkSync(path.join(dir, 'sbom.json'))
    const r = await verify(ws, {})
    expect(r.outputs.tampered).toBe('true')
    const bad = failing(r)
    expect(bad.map((c) => c.name)).toEqual(['sbom.json'])
    const line =
      readFileSync(manifest, 'utf8')
        .split('\n')
        .findIndex((l) => l.endsWith(' sbom.json')) + 1
    expect(bad[0]).toMatchObject({ observed: 'missing', location: { path: 'evidence/SHA256SUMS', line } })
    expect(bad[0].message).toContain(`listed in the manifest (line ${line}) but does not exist in evidence`)
  })

  it('names every failing file, one check each', async () => {
    const tree = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.bin`, `content ${i}`]))
    const { ws, dir } = sealedWorkspace(tree)
    for (const i of [3, 7, 21]) writeFileSync(path.join(dir, `f${i}.bin`), 'changed')
    unlinkSync(path.join(dir, 'f9.bin'))
    const r = await verify(ws, {})
    expect(
      failing(r)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['f21.bin', 'f3.bin', 'f7.bin', 'f9.bin'])
    expect(r.metrics).toMatchObject({ matched: 26, mismatched: 3, missing: 1 })
  })

  it('a truncated file of the same name fails', async () => {
    const { ws, dir } = sealedWorkspace()
    writeFileSync(path.join(dir, 'release/app.tar.gz'), '')
    expect(failing(await verify(ws, {})).map((c) => c.name)).toEqual(['release/app.tar.gz'])
  })
})

describe('evidence: files the manifest does not list', () => {
  const addExtra = () => {
    const s = sealedWorkspace()
    writeTree(s.dir, { 'late/added.log': 'added after sealing\n' })
    return s
  }

  it('warns by default, naming the file, without calling it tampering', async () => {
    const { ws } = addExtra()
    const r = await verify(ws, {})
    expect(r.status).toBe('warn')
    expect(r.outputs.tampered).toBe('false')
    const w = r.checks.find((c) => c.status === 'warn')!
    expect(w).toMatchObject({ name: 'late/added.log', location: { path: 'evidence/late/added.log' } })
    expect(w.message).toContain('extra-files: warn')
  })

  it('fails with extra-files: fail', async () => {
    const { ws } = addExtra()
    const r = await verify(ws, { 'extra-files': 'fail' })
    expect(r.status).toBe('fail')
    expect(failing(r).map((c) => c.name)).toEqual(['late/added.log'])
  })

  it('passes with extra-files: ignore', async () => {
    const { ws } = addExtra()
    expect((await verify(ws, { 'extra-files': 'ignore' })).status).toBe('pass')
  })

  it('reports an unlisted symbolic link or FIFO as extra, and never reads it', async () => {
    const { ws, dir } = sealedWorkspace()
    symlinkSync('/etc/passwd', path.join(dir, 'link'))
    sh('mkfifo', [path.join(dir, 'pipe')])
    const r = await verify(ws, {})
    const warned = r.checks.filter((c) => c.status === 'warn')
    expect(warned.map((c) => [c.name, c.observed])).toEqual([
      ['link', 'not in the manifest (a symbolic link)'],
      ['pipe', 'not in the manifest (a FIFO (named pipe))'],
    ])
  })

  it('names the first 1000 extra files one check each, and counts the rest in one check', async () => {
    const { ws } = addExtra()
    writeTree(path.join(ws, 'evidence'), Object.fromEntries(Array.from({ length: 1002 }, (_, i) => [`bulk/${i}.txt`, ''])))
    const r = await verify(ws, {})
    const warned = r.checks.filter((c) => c.status === 'warn')
    expect(warned).toHaveLength(1001)
    expect(warned[1000]).toMatchObject({ name: 'extra (more)', observed: '3 more' })
    expect(warned[1000].message).toBe('3 more unlisted files beyond the 1000 named above.')
    expect(r.metrics.extra).toBe(1003)
  })

  it('does not count the manifest or its signature as extra', async () => {
    const { ws, manifest } = sealedWorkspace()
    writeFileSync(`${manifest}.sig`, 'x')
    const r = await verify(ws, { 'extra-files': 'fail' })
    // Not an extra file; that no key was given to check it is a failure of its own (issue 11).
    expect(r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${c.observed}`)).toEqual(['signature: not checked'])
  })
})

describe('evidence: path safety (each case refused, never read)', () => {
  /** A sealed folder whose manifest gets one more line. */
  async function withLine(line: string | Buffer, setup?: (dir: string, ws: string) => void) {
    const { ws, dir, manifest } = sealedWorkspace()
    setup?.(dir, ws)
    appendFileSync(manifest, line)
    const r = await verify(ws, {})
    expect(r.status).toBe('fail')
    expect(r.outputs.tampered).toBe('true')
    return { r, bad: failing(r), manifest }
  }
  const digestOf = (s: string) => sh('sha256sum', [], { input: s }).toString().slice(0, 64)

  it('an absolute path', async () => {
    const { bad } = await withLine(`${digestOf(readFileSync('/etc/hostname', 'utf8'))}  /etc/hostname\n`)
    expect(bad[0]).toMatchObject({
      name: '/etc/hostname',
      observed: 'refused (absolute)',
      location: { path: 'evidence/SHA256SUMS', line: 6 },
    })
    expect(bad[0].message).toContain('is an absolute path')
  })

  it('a path climbing out with ..', async () => {
    const { bad } = await withLine(`${digestOf('outside\n')}  ../outside.txt\n`, (_dir, ws) =>
      writeFileSync(path.join(ws, 'outside.txt'), 'outside\n'),
    )
    expect(bad[0]).toMatchObject({ name: '../outside.txt', observed: 'refused (dotdot)' })
  })

  it('a .. in the middle of a path', async () => {
    const { bad } = await withLine(`${digestOf('x')}  release/../../x\n`)
    expect(bad[0].observed).toBe('refused (dotdot)')
  })

  it('a backslash', async () => {
    const { bad } = await withLine(`${digestOf('x')}  release\\notes.md\n`)
    expect(bad[0].observed).toBe('refused (backslash)')
  })

  it("GNU's escaped form for names with a backslash or newline", async () => {
    const { bad } = await withLine(`\\${digestOf('x')}  a\\nb\n`)
    expect(bad[0].observed).toBe('refused (backslash)')
  })

  it('a NUL byte', async () => {
    const { bad } = await withLine(Buffer.concat([Buffer.from(`${digestOf('x')}  sbom.json`), Buffer.from([0]), Buffer.from('.txt\n')]))
    expect(bad[0]).toMatchObject({ name: '"sbom.json\\u0000.txt"', observed: 'refused (nul)' })
  })

  it('a duplicate entry (even with the same digest, even written ./)', async () => {
    const { bad } = await withLine(`${digestOf(SAMPLE['sbom.json'] as string)}  ./sbom.json\n`)
    expect(bad[0]).toMatchObject({
      name: './sbom.json',
      observed: 'refused (duplicate)',
      location: { path: 'evidence/SHA256SUMS', line: 6 },
    })
    expect(bad[0].message).toMatch(/listed again \(first on line \d\)/)
  })

  it('a symbolic link as the file', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    writeFileSync(path.join(ws, 'real.txt'), 'real\n')
    symlinkSync(path.join(ws, 'real.txt'), path.join(dir, 'link.txt'))
    appendFileSync(manifest, `${digestOf('real\n')}  link.txt\n`)
    const bad = failing(await verify(ws, {}))
    expect(bad[0]).toMatchObject({ name: 'link.txt', observed: 'refused (symlink)' })
  })

  it('a symbolic link to a folder on the way', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    writeTree(ws, { 'elsewhere/inner.txt': 'inner\n' })
    symlinkSync(path.join(ws, 'elsewhere'), path.join(dir, 'linked'))
    appendFileSync(manifest, `${digestOf('inner\n')}  linked/inner.txt\n`)
    const bad = failing(await verify(ws, {}))
    expect(bad[0]).toMatchObject({ name: 'linked/inner.txt', observed: 'refused (symlink)' })
    expect(bad[0].message).toContain('reached through the symbolic link linked')
  })

  it('a symbolic link deeper on the way', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    writeTree(ws, { 'elsewhere/inner.txt': 'inner\n' })
    symlinkSync(path.join(ws, 'elsewhere'), path.join(dir, 'release', 'sub'))
    appendFileSync(manifest, `${digestOf('inner\n')}  release/sub/inner.txt\n`)
    const bad = failing(await verify(ws, {}))
    expect(bad[0].message).toContain('reached through the symbolic link release/sub')
  })

  it('a directory listed as a file', async () => {
    const { bad } = await withLine(`${digestOf('')}  release\n`)
    expect(bad[0]).toMatchObject({ name: 'release', observed: 'refused (not-regular)' })
    expect(bad[0].message).toContain('is a directory, not a regular file')
  })

  it('a FIFO listed as a file (the gate does not block on it)', async () => {
    const { bad } = await withLine(`${digestOf('')}  pipe\n`, (dir) => sh('mkfifo', [path.join(dir, 'pipe')]))
    expect(bad[0]).toMatchObject({ name: 'pipe', observed: 'refused (not-regular)' })
    expect(bad[0].message).toContain('FIFO')
  })

  it('an empty manifest', async () => {
    const { ws, manifest } = sealedWorkspace()
    writeFileSync(manifest, '')
    const r = await verify(ws, {})
    expect(r.status).toBe('fail')
    expect(r.outputs.tampered).toBe('true')
    expect(failing(r)[0]).toMatchObject({ name: 'manifest', observed: 'unusable' })
    expect(failing(r)[0].message).toContain('the manifest is empty: it lists no files')
  })

  it('checkEntryPath: each unsafe form has its kind; safe forms are normalised', () => {
    expect(checkEntryPath('a/./b')).toEqual({ path: 'a/b' })
    expect(checkEntryPath('./a')).toEqual({ path: 'a' })
    for (const [p, kind] of [
      ['', 'empty'],
      ['.', 'empty'],
      ['/abs', 'absolute'],
      ['C:/x', 'absolute'],
      ['a/../b', 'dotdot'],
      ['..', 'dotdot'],
      ['a\\b', 'backslash'],
      ['a\u0000b', 'nul'],
      ['a\tb', 'control'],
      ['a//b', 'empty-segment'],
      ['a/', 'empty-segment'],
      ['x'.repeat(5000), 'too-long'],
    ])
      expect((checkEntryPath(p) as { kind: string }).kind, p).toBe(kind)
  })
})

describe('evidence: manifests that cannot be used', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['a blank line', `${'a'.repeat(64)}  x\n\n${'b'.repeat(64)}  y\n`, /line 2 is empty/],
    ['an MD5 manifest', 'MD5 (x) = d41d8cd98f00b204e9800998ecf8427e\n', /holds a MD5 digest; only SHA-256/],
    ['a SHA-512 sha512sum line', `${'a'.repeat(128)}  x\n`, /holds a 512-bit digest/],
    ['a comment', '# made by hand\n', /is a comment/],
    ['text', 'hello world\n', /is not a SHA-256 manifest line/],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x0a]), /line 1 is not valid UTF-8/],
    ['a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${'a'.repeat(64)}  x\n`)]), /byte-order mark/],
    ["shasum's universal mode", `${'a'.repeat(64)} U x\n`, /universal\/bits mode/],
    ['a single space separator', `${'a'.repeat(64)} x\n`, /is not a SHA-256 manifest line/],
  ]
  it.each(cases)('%s is a ManifestError naming the line', (_name, text, message) => {
    expect(() => parseManifest(Buffer.from(text))).toThrow(ManifestError)
    expect(() => parseManifest(Buffer.from(text))).toThrow(message)
  })

  it('the gate fails with the manifest line as the location', async () => {
    const { ws, manifest } = sealedWorkspace()
    appendFileSync(manifest, 'garbage\n')
    const r = await verify(ws, {})
    expect(failing(r)[0]).toMatchObject({ name: 'manifest', location: { path: 'evidence/SHA256SUMS', line: 6 } })
  })

  it('a missing manifest says how to make one', async () => {
    const { ws, manifest } = sealedWorkspace()
    unlinkSync(manifest)
    const r = await verify(ws, {})
    expect(failing(r)[0]).toMatchObject({ name: 'manifest', observed: 'missing' })
    expect(failing(r)[0].message).toContain('cutover evidence seal evidence')
  })

  it('a manifest that is a symbolic link is refused', async () => {
    const { ws, dir, manifest } = sealedWorkspace()
    writeFileSync(path.join(ws, 'elsewhere.sums'), readFileSync(manifest))
    unlinkSync(manifest)
    symlinkSync(path.join(ws, 'elsewhere.sums'), path.join(dir, 'SHA256SUMS'))
    expect(failing(await verify(ws, {}))[0]).toMatchObject({ name: 'manifest', observed: 'a symbolic link' })
  })

  it('a missing folder fails with a sentence', async () => {
    const ws = workspace()
    const r = await verify(ws, {})
    expect(r.status).toBe('fail')
    expect(failing(r)[0]).toMatchObject({ name: 'path', observed: 'missing' })
    expect(failing(r)[0].message).toContain('The evidence folder evidence does not exist')
  })

  it('bad inputs are refused before anything is read', async () => {
    const { ws } = sealedWorkspace()
    const r = await verify(ws, { 'extra-files': 'sometimes' })
    expect(r.inputError).toBe(true)
    expect(r.checks[0].message).toContain('`extra-files`')
    const none = await verify(ws, { path: '' })
    expect(none.inputError).toBe(true)
    expect(none.checks[0].message).toContain('`path` is required')
  })
})

describe('hashFiles: threads and the main thread agree with sha256sum', () => {
  it.each(['threads', 'main'] as const)('%s', async (mode) => {
    const ws = workspace()
    writeTree(ws, { a: 'alpha', b: Buffer.alloc(700_000, 3), c: '', 'd/e': 'nested' })
    symlinkSync(path.join(ws, 'a'), path.join(ws, 'link'))
    sh('mkfifo', [path.join(ws, 'fifo')])
    const names = ['a', 'b', 'c', 'd/e']
    const jobs = [...names, 'missing', 'link', 'fifo'].map((n) => ({ file: path.join(ws, n) }))
    const st = statSync(path.join(ws, 'b'), { bigint: true })
    jobs.push({ file: path.join(ws, 'a'), dev: st.dev, ino: st.ino } as (typeof jobs)[number])
    const out = await hashFiles(jobs, { mode, workers: 2 })
    const expected = sh('sha256sum', names, { cwd: ws })
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.slice(0, 64))
    expect(out.slice(0, 4).map((o) => (o.ok ? o.digest : o.code))).toEqual(expected)
    expect(out.slice(4).map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ENOENT', 'ELOOP', 'ENOTREG', 'ECHANGED'])
  })
})

describe('evidence: large folders', () => {
  it('hashes many files across threads and reports progress through ctx.log', async () => {
    const tree = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`d${i % 7}/f${i}.bin`, Buffer.alloc(1000 + i * 97, i)]))
    tree['big.bin'] = Buffer.alloc(40 * 1024 * 1024, 7)
    const { ws, dir } = sealedWorkspace(tree)
    const lines: string[] = []
    const r = await verify(ws, {}, { log: (l) => lines.push(l) })
    expect(r.status).toBe('pass')
    expect(r.metrics.matched).toBe(301)
    expect(lines[0]).toMatch(/^Hashing 301 files \(.+\) with \d+ threads$/)
    rmSync(path.join(dir, 'd3'), { recursive: true })
    const after = await verify(ws, {})
    expect(failing(after).length).toBe(Object.keys(tree).filter((k) => k.startsWith('d3/')).length)
  })
})
