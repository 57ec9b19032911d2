// A signature beside the manifest that no key was given to check is a fail naming the input to set;
// an empty input (an unset secret) counts as not given. Signatures made by openssl; the folder is
// tampered and re-hashed with sha256sum, exactly as an attacker who cannot sign would do.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evidenceCommand } from '../../../src/cli/evidence.js'
import { failing, keyPair, opensslSign, sealedWorkspace, sh, verify } from './support.js'

const HMAC = 'evidence-hmac-secret-4f2a9b7c1d'

/** A folder sealed and signed, then one file altered and the manifest re-hashed: the signature is now stale. */
function tamperedAndRehashed(signWith: 'hmac' | 'p256') {
  const w = sealedWorkspace()
  let pub = ''
  if (signWith === 'hmac') {
    const mac = sh('openssl', ['dgst', '-sha256', '-hmac', HMAC, '-r', w.manifest]).toString().slice(0, 64)
    writeFileSync(`${w.manifest}.sig`, mac + '\n')
  } else {
    const k = keyPair(w.ws, 'p256')
    pub = k.pub
    opensslSign('p256', k.priv, w.manifest, `${w.manifest}.sig`)
  }
  writeFileSync(path.join(w.dir, 'release', 'notes.md'), '# RC 1.4.2\n\nAll green. (edited)\n')
  const files = readFileSync(w.manifest, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.slice(66))
  writeFileSync(w.manifest, sh('sha256sum', ['--', ...files], { cwd: w.dir }))
  return { ...w, pub }
}

async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const code = await evidenceCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env })
  return { code, stdout, stderr }
}

describe('evidence: a signature nobody was given a key to check', () => {
  it.each([
    ['hmac', 'hmac-key', ''],
    ['hmac', 'hmac-key', '   '],
    ['p256', 'public-key', ''],
    ['hmac', undefined, undefined],
  ] as const)('signed with %s, %s given as %j: fail, tampered, naming the input to set', async (kind, input, value) => {
    const w = tamperedAndRehashed(kind)
    const r = await verify(w.ws, input ? { [input]: value as string } : {})
    expect(r.status).toBe('fail')
    expect(r.outputs.tampered).toBe('true')
    const c = failing(r).find((x) => x.name === 'signature')!
    expect(c.observed).toBe('not checked')
    expect(c.message).toContain('evidence/SHA256SUMS.sig')
    // The input the signature calls for comes first; an HMAC signature is recognisable by its form.
    expect(c.message).toContain(kind === 'hmac' ? 'set `hmac-key`' : 'set `public-key`')
    expect(c.message).toContain('an empty input')
    expect(c.location).toEqual({ path: 'evidence/SHA256SUMS.sig' })
  })

  it('the same folder with its key given is caught as tampered by the signature itself', async () => {
    const w = tamperedAndRehashed('hmac')
    const r = await verify(w.ws, { 'hmac-key': HMAC })
    expect(failing(r).map((c) => c.observed)).toEqual(['HMAC-SHA256 mismatch'])
    const p = tamperedAndRehashed('p256')
    expect(failing(await verify(p.ws, { 'public-key': p.pub })).map((c) => c.name)).toEqual(['signature'])
  })

  it('without a signature beside the manifest and without keys, nothing is required (and that is said)', async () => {
    const w = sealedWorkspace()
    const r = await verify(w.ws, { 'hmac-key': '' })
    expect(r.status).toBe('pass')
    expect(r.details).toContain('none required')
  })
})

describe('cutover evidence verify next to a signature, without a key', () => {
  it('exits 2 with a sentence naming --public-key and --hmac-env', async () => {
    const w = tamperedAndRehashed('hmac')
    const r = await cli(['verify', 'evidence'], w.ws)
    expect(r.code).toBe(2)
    const all = r.stdout + r.stderr
    expect(all).toContain('evidence/SHA256SUMS.sig')
    expect(all).toContain('--hmac-env')
    expect(all).toContain('--public-key')
    expect(all).not.toContain('Tampered: no')
  })

  it('an empty --public-key counts as not given', async () => {
    const w = tamperedAndRehashed('p256')
    const r = await cli(['verify', 'evidence', '--public-key', ''], w.ws)
    expect(r.code).toBe(2)
    expect(r.stdout + r.stderr).toContain('--public-key')
  })
})

describe('cutover evidence seal without a key, where a signature lies', () => {
  it('refuses, naming the signature and the ways on, and leaves the old manifest and signature untouched', async () => {
    const w = sealedWorkspace()
    writeFileSync(`${w.manifest}.sig`, sh('openssl', ['dgst', '-sha256', '-hmac', HMAC, '-r', w.manifest]).toString().slice(0, 64) + '\n')
    writeFileSync(path.join(w.dir, 'late.txt'), 'added after sealing\n')
    const manifest = readFileSync(w.manifest)
    const sig = readFileSync(`${w.manifest}.sig`)
    const r = await cli(['seal', 'evidence'], w.ws)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('evidence/SHA256SUMS.sig')
    expect(r.stderr).toContain('--hmac-env')
    expect(r.stderr).toContain('--drop-signature')
    expect(readFileSync(w.manifest).equals(manifest)).toBe(true)
    expect(readFileSync(`${w.manifest}.sig`).equals(sig)).toBe(true)
  })

  it('--drop-signature reseals unsigned and says it removed the signature; a key re-signs', async () => {
    const w = sealedWorkspace()
    writeFileSync(`${w.manifest}.sig`, 'old signature\n')
    const dropped = await cli(['seal', 'evidence', '--drop-signature'], w.ws)
    expect(dropped.code, dropped.stderr).toBe(0)
    expect(dropped.stdout).toContain('removed the old evidence/SHA256SUMS.sig')
    expect(() => readFileSync(`${w.manifest}.sig`)).toThrow()

    writeFileSync(`${w.manifest}.sig`, 'old signature\n')
    const resigned = await cli(['seal', 'evidence', '--hmac-env', 'K'], w.ws, { K: HMAC })
    expect(resigned.code, resigned.stderr).toBe(0)
    expect((await cli(['verify', 'evidence', '--hmac-env', 'K'], w.ws, { K: HMAC })).code).toBe(0)
  })

  it('--drop-signature with a key is a usage error: it would drop what it just signed', async () => {
    const w = sealedWorkspace()
    const r = await cli(['seal', 'evidence', '--drop-signature', '--hmac-env', 'K'], w.ws, { K: HMAC })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--drop-signature')
  })
})
