// `cutover evidence seal` / `verify`: what seal writes, other tools accept; what they write, verify accepts.
import { readFileSync, symlinkSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evidenceCommand } from '../../../src/cli/evidence.js'
import { SAMPLE, keyPair, sh, workspace, writeTree, type Tree } from './support.js'

async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const code = await evidenceCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env })
  return { code, stdout, stderr }
}

const TREE = {
  ...SAMPLE,
  'nested/deeper/file with spaces.txt': 'spaces\n',
  'nested/ünïcödé.txt': 'unicode\n',
  '-leading-dash': 'dash\n',
}

function folder(tree: Tree = TREE) {
  const ws = workspace()
  const dir = path.join(ws, 'rc-proof')
  mkdirSync(dir)
  writeTree(dir, tree)
  return { ws, dir, manifest: path.join(dir, 'SHA256SUMS') }
}

describe('cutover evidence seal', () => {
  it('writes a manifest sha256sum -c accepts, and verify passes on it', async () => {
    const { ws, dir, manifest } = folder()
    const sealed = await cli(['seal', 'rc-proof'], ws)
    expect(sealed.code, sealed.stderr).toBe(0)
    expect(sealed.stdout).toMatch(/^Sealed 8 files \(.+\) in rc-proof: wrote rc-proof\/SHA256SUMS\n$/)
    expect(sh('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir }).toString().split('\n').filter(Boolean)).toHaveLength(8)
    // Sorted by bytes, GNU text form, every regular file, nothing else.
    const lines = readFileSync(manifest, 'utf8').trimEnd().split('\n')
    expect(lines.map((l) => l.slice(66))).toEqual(Object.keys(TREE).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))))
    expect(lines.every((l) => /^[0-9a-f]{64} {2}\S/.test(l))).toBe(true)

    const verified = await cli(['verify', 'rc-proof', '--extra-files', 'fail'], ws)
    expect(verified.code, verified.stdout).toBe(0)
    expect(verified.stdout).toContain('✓ files: 8 files')
    expect(verified.stdout).toContain('Tampered: no: every listed file is as it was sealed.')
  })

  it('sealing again leaves the manifest and its signature out of the listing', async () => {
    const { ws, manifest } = folder()
    await cli(['seal', 'rc-proof'], ws)
    const first = readFileSync(manifest, 'utf8')
    expect((await cli(['seal', 'rc-proof'], ws)).code).toBe(0)
    expect(readFileSync(manifest, 'utf8')).toBe(first)
  })

  it('--manifest writes another name, relative to the folder', async () => {
    const { ws, dir } = folder()
    expect((await cli(['seal', 'rc-proof', '--manifest', 'CHECKSUMS.sha256'], ws)).code).toBe(0)
    sh('sha256sum', ['-c', 'CHECKSUMS.sha256'], { cwd: dir })
    expect((await cli(['verify', 'rc-proof', '--manifest', 'CHECKSUMS.sha256', '--extra-files', 'fail'], ws)).code).toBe(0)
  })

  it.each(['p256', 'ed25519', 'rsa'] as const)('--key %s writes a base64 signature that openssl verifies', async (kind) => {
    const { ws, manifest } = folder()
    const { priv, pub } = keyPair(ws, kind)
    const r = await cli(['seal', 'rc-proof', '--key', priv], ws)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('rc-proof/SHA256SUMS.sig (')
    const sig = readFileSync(`${manifest}.sig`, 'utf8')
    expect(sig).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const der = path.join(ws, 'sig.der')
    writeFileSync(der, Buffer.from(sig, 'base64'))
    const ok =
      kind === 'ed25519'
        ? sh('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', manifest, '-sigfile', der])
        : sh('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', der, manifest])
    expect(ok.toString()).toMatch(/Verified OK|Signature Verified Successfully/)
    const v = await cli(['verify', 'rc-proof', '--public-key', pub], ws)
    expect(v.code, v.stdout).toBe(0)
    expect(v.stdout).toMatch(/✓ signature: The manifest's signature \(rc-proof\/SHA256SUMS\.sig\) verifies/)
  })

  it('--hmac-env writes the HMAC openssl computes, and no output holds the key', async () => {
    const KEY = 'cli-hmac-secret-5a4b3c2d1e'
    const { ws, manifest, dir } = folder()
    const outputs: string[] = []
    const run = async (args: string[], env: Record<string, string>) => {
      const r = await cli(args, ws, env)
      outputs.push(r.stdout, r.stderr)
      return r
    }
    expect((await run(['seal', 'rc-proof', '--hmac-env', 'EVIDENCE_HMAC'], { EVIDENCE_HMAC: KEY })).code).toBe(0)
    const expected = sh('openssl', ['dgst', '-sha256', '-hmac', KEY, '-r', manifest]).toString().slice(0, 64)
    expect(readFileSync(`${manifest}.sig`, 'utf8')).toBe(expected + '\n')
    expect((await run(['verify', 'rc-proof', '--hmac-env', 'EVIDENCE_HMAC'], { EVIDENCE_HMAC: KEY })).code).toBe(0)
    expect((await run(['verify', 'rc-proof', '--hmac-env', 'EVIDENCE_HMAC', '--json'], { EVIDENCE_HMAC: KEY })).code).toBe(0)
    writeFileSync(path.join(dir, 'sbom.json'), `{"key":"${KEY}"}`)
    expect((await run(['verify', 'rc-proof', '--hmac-env', 'EVIDENCE_HMAC'], { EVIDENCE_HMAC: 'other-key-000' })).code).toBe(2)
    // Mistakes: the key written where the variable's name goes.
    expect((await run(['verify', 'rc-proof', '--hmac-env', KEY], {})).code).toBe(2)
    expect((await run(['verify', 'rc-proof', '--hmac-env', KEY.replace(/-/g, '_')], {})).code).toBe(2)
    for (const o of outputs) {
      expect(o).not.toContain(KEY)
      expect(o).not.toContain(KEY.replace(/-/g, '_'))
    }
  })

  it('refuses a folder holding a symbolic link, naming it, in one sentence', async () => {
    const { ws, dir } = folder()
    symlinkSync('/etc/passwd', path.join(dir, 'nested', 'passwd'))
    const r = await cli(['seal', 'rc-proof'], ws)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'cutover evidence seal: rc-proof holds what evidence cannot: nested/passwd is a symbolic link. Evidence is regular files only: replace links with copies and rename or remove the rest.\n',
    )
    expect(existsSync(path.join(dir, 'SHA256SUMS'))).toBe(false)
  })

  it('refuses a FIFO and a name with a backslash', async () => {
    const { ws, dir } = folder({ 'a\\b.txt': 'x', ok: 'y' })
    sh('mkfifo', [path.join(dir, 'pipe')])
    const r = await cli(['seal', 'rc-proof'], ws)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('a\\b.txt has a name a manifest cannot hold safely')
    expect(r.stderr).toContain('pipe is a FIFO (named pipe)')
  })

  it('an empty folder, a missing folder, an unreadable key: exit 2 with a sentence', async () => {
    const ws = workspace()
    mkdirSync(path.join(ws, 'empty'))
    expect(await cli(['seal', 'empty'], ws)).toMatchObject({ code: 2, stderr: 'cutover evidence seal: empty holds no files to seal.\n' })
    expect((await cli(['seal', 'nowhere'], ws)).stderr).toContain('does not exist')
    writeFileSync(path.join(ws, 'bad.pem'), 'not a key')
    writeTree(ws, { 'x/f': 'f' })
    expect((await cli(['seal', 'x', '--key', 'bad.pem'], ws)).stderr).toContain('not a PEM private key')
    sh('openssl', ['genpkey', '-algorithm', 'ED25519', '-aes-256-cbc', '-pass', 'pass:pw', '-out', path.join(ws, 'enc.pem')])
    expect((await cli(['seal', 'x', '--key', 'enc.pem'], ws)).stderr).toContain('the private key is encrypted')
  })
})

describe('cutover evidence verify', () => {
  it('exit 2 and every failing file named when tampered; exit 1 for an extra file', async () => {
    const { ws, dir } = folder()
    await cli(['seal', 'rc-proof'], ws)
    writeFileSync(path.join(dir, 'extra.txt'), 'new')
    const warn = await cli(['verify', 'rc-proof'], ws)
    expect(warn.code).toBe(1)
    expect(warn.stdout).toContain('! extra.txt: extra.txt is a file in the evidence folder that the manifest does not list')
    writeFileSync(path.join(dir, 'release/notes.md'), 'forged')
    writeFileSync(path.join(dir, 'nested/ünïcödé.txt'), 'forged')
    const bad = await cli(['verify', 'rc-proof'], ws)
    expect(bad.code).toBe(2)
    expect(bad.stdout).toContain('✗ release/notes.md: release/notes.md does not match the manifest')
    expect(bad.stdout).toContain('✗ nested/ünïcödé.txt:')
    expect(bad.stdout).toContain('Tampered: yes')
    const json = JSON.parse((await cli(['verify', 'rc-proof', '--json'], ws)).stdout) as { status: string; outputs: { tampered: string } }
    expect(json).toMatchObject({ status: 'fail', outputs: { tampered: 'true' } })
  })

  it("usage errors exit 2 with one line naming the subcommand's --help, not the whole usage", async () => {
    const ws = workspace()
    for (const args of [
      ['frobnicate'],
      ['verify'],
      ['verify', 'a', 'b'],
      ['seal', 'x', '--key', 'k', '--hmac-env', 'K'],
      ['verify', 'x', '--nope'],
    ]) {
      const r = await cli(args, ws)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(/^cutover evidence( seal| verify)?: [^\n]+; see `cutover evidence( seal| verify)? --help`\n$/)
      expect(r.stderr).not.toContain('Usage:')
    }
    for (const sub of ['seal', 'verify']) {
      const help = await cli([sub, '--help'], ws)
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(new RegExp(`^Usage: cutover evidence ${sub} `))
    }
    expect((await cli(['verify', 'x', '--extra-files', 'maybe'], ws)).stdout).toContain('`extra-files`')
    expect((await cli(['help'], ws)).code).toBe(0)
  })
})
