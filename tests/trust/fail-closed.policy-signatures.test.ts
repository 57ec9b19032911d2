/**
 * Every way the policy-signatures gate can fail to establish that each policy carries a valid
 * signature by a trusted key, one row each: a `fail` with a sentence, never a pass, never a stack
 * trace. Real files, and keys and signatures made at test time by openssl, ssh-keygen and minisign
 * (the security-key SSHSIG, which needs a FIDO device, is assembled from real node:crypto
 * signatures; see signature-tools.ts). A new way to fail goes into CASES.
 *
 * Under CI=true nothing here skips: .ci/run installs openssl, openssh-client and minisign.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../src/core/gate.js'
import { policySignatures } from '../../src/gates/policy-signatures/gate.js'
import {
  CI,
  TOOLS,
  dgstSign,
  minisignKey,
  minisignSign,
  opensslKey,
  run,
  securityKeySshSig,
  sshKey,
  sshPub,
  sshSign,
  tempRoot,
} from '../support/signature-tools.js'

const NOW = new Date('2026-03-01T12:00:00Z')
const suite = describe.skipIf(!TOOLS && !CI)

let root = ''
let cleanup = () => {}
const K: Record<string, { priv: string; pub: string }> = {}
const ssh = (name: string) => path.join(root, 'keys', name)

beforeAll(() => {
  if (!TOOLS && !CI) return
  ;({ root, cleanup } = tempRoot('fail-closed-ps-'))
  const dir = path.join(root, 'keys')
  for (const kind of ['ed25519', 'p256', 'rsa', 'dsa', 'secp256k1'] as const) K[kind] = opensslKey(dir, kind)
  K.other = opensslKey(dir, 'p256', 'other')
  K.rsa1024 = { priv: path.join(dir, 'rsa1024.key'), pub: path.join(dir, 'rsa1024.pub') }
  run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', K.rsa1024.priv])
  run('openssl', ['pkey', '-in', K.rsa1024.priv, '-pubout', '-out', K.rsa1024.pub])
  K.ed448 = { priv: path.join(dir, 'ed448.key'), pub: path.join(dir, 'ed448.pub') }
  run('openssl', ['genpkey', '-algorithm', 'ed448', '-out', K.ed448.priv])
  run('openssl', ['pkey', '-in', K.ed448.priv, '-pubout', '-out', K.ed448.pub])
  K.mini = minisignKey(dir, 'mini')
  K.otherMini = minisignKey(dir, 'other-mini')
  sshKey(ssh('alice'), ['-t', 'ed25519'], 'alice@example.com')
  sshKey(ssh('mallory'), ['-t', 'ed25519'], 'mallory@example.com')
  sshKey(ssh('ssh-dsa'), ['-t', 'dsa'], 'dsa@example.com')
}, 120_000)
afterAll(() => cleanup())

interface Case {
  way: string
  /** Writes the workspace (policy files, signatures, trust files); returns the inputs. */
  setup: (ws: string) => Record<string, string>
  /** The failing check's name (`inputs` for refused inputs, the file's path for a policy). */
  check: string
  says: string
  /** A refusal of an algorithm or form: it must never read as a claim of tampering. */
  refused?: true
}

const policy = '{"policy":"payouts","allow":["deploy"]}\n'
const put = (ws: string, name: string, body: string | Buffer) => {
  mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
  writeFileSync(path.join(ws, name), body)
  return path.join(ws, name)
}
/** a.json signed by alice (ssh-keygen), with an allowed_signers file listing alice. */
const sshSigned = (ws: string, opts: { signer?: string; ns?: string; line?: string } = {}) => {
  const file = put(ws, 'a.json', policy)
  sshSign(ssh(opts.signer ?? 'alice'), file, opts.ns ?? 'file')
  put(ws, 'allowed_signers', `${opts.line ?? 'alice@example.com'} ${sshPub(ssh('alice'))}\n`)
  return { files: 'a.json', 'allowed-signers': 'allowed_signers' }
}
/** a.json with an openssl signature by `key` over `hash`. */
const dgstSigned = (ws: string, key: string, hash = 'sha256') => {
  const file = put(ws, 'a.json', policy)
  writeFileSync(`${file}.sig`, dgstSign(K[key].priv, file, hash))
  return file
}

const CASES: Case[] = [
  // Files and globs
  {
    way: 'a glob matches nothing',
    setup: (ws) => ({ ...sshSigned(ws), files: 'a.json\npolicies/**/*.rego' }),
    check: 'files: policies/**/*.rego',
    says: 'matched no policy files',
  },
  {
    way: 'a glob matches only signature files',
    setup: (ws) => ({ ...sshSigned(ws), files: '*.sig' }),
    check: 'files: *.sig',
    says: 'signature or key file',
  },
  {
    way: 'a glob matches only a dangling symbolic link',
    setup: (ws) => {
      symlinkSync(path.join(ws, 'gone.json'), path.join(ws, 'link.json'))
      return { files: 'link.json', 'public-keys': K.p256.pub }
    },
    check: 'files: link.json',
    says: 'matched no policy files',
  },
  // Signatures
  {
    way: 'the signature is missing',
    setup: (ws) => {
      put(ws, 'a.json', policy)
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'is not signed',
  },
  {
    way: 'the signature is empty',
    setup: (ws) => {
      put(ws, 'a.json.sig', '')
      put(ws, 'a.json', policy)
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'a.json.sig is empty',
  },
  {
    way: 'the signature is whitespace',
    setup: (ws) => {
      put(ws, 'a.json.minisig', '\n  \n')
      put(ws, 'a.json', policy)
      return { files: 'a.json', 'public-keys': K.mini.pub }
    },
    check: 'a.json',
    says: 'a.json.minisig is empty',
  },
  {
    way: 'the signature is truncated',
    setup: (ws) => {
      const inputs = sshSigned(ws)
      const sig = readFileSync(path.join(ws, 'a.json.sig'), 'utf8').split('\n')
      writeFileSync(path.join(ws, 'a.json.sig'), [...sig.slice(0, 3), sig.at(-2)].join('\n'))
      return inputs
    },
    check: 'a.json',
    says: 'cannot be read',
  },
  {
    way: 'the signature is in no known format',
    setup: (ws) => {
      put(ws, 'a.json', policy)
      put(ws, 'a.json.sig', 'signed-off-by: the release captain\n')
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'in no format this gate knows',
  },
  {
    way: 'the signature is a folder',
    setup: (ws) => {
      put(ws, 'a.json', policy)
      mkdirSync(path.join(ws, 'a.json.sig'))
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'could not be read (EISDIR)',
  },
  {
    way: 'the signature is too large to be one',
    setup: (ws) => {
      put(ws, 'a.json', policy)
      put(ws, 'a.json.sig', Buffer.alloc(1024 * 1024 + 1, 0x41))
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'too large to be a signature',
  },
  // Trust inputs
  {
    way: 'no trust is given',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      return { files: 'a.json' }
    },
    check: 'inputs',
    says: 'give `public-keys`',
  },
  {
    way: 'both trust inputs are given empty (unset secrets)',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      return { files: 'a.json', 'public-keys': '', 'allowed-signers': '  ' }
    },
    check: 'inputs',
    says: 'give `public-keys`',
  },
  {
    way: 'public-keys is unparsable inline PEM',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      return { files: 'a.json', 'public-keys': '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----' }
    },
    check: 'inputs',
    says: 'is not a readable PEM public key',
  },
  {
    way: 'public-keys is a PEM without its END line',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      return { files: 'a.json', 'public-keys': readFileSync(K.p256.pub, 'utf8').split('\n').slice(0, -2).join('\n') }
    },
    check: 'inputs',
    says: 'but no "-----END PUBLIC KEY-----" line',
  },
  {
    way: 'public-keys is a PEM without its BEGIN line',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      return { files: 'a.json', 'public-keys': readFileSync(K.p256.pub, 'utf8').split('\n').slice(1).join('\n') }
    },
    check: 'inputs',
    says: 'outside a whole -----BEGIN',
  },
  {
    way: 'public-keys is a private key',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      return { files: 'a.json', 'public-keys': readFileSync(K.p256.priv, 'utf8') }
    },
    check: 'inputs',
    says: 'is a private key',
  },
  {
    way: 'a public-keys file is unparsable',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      put(ws, 'keys/bad.pub', '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n')
      return { files: 'a.json', 'public-keys': 'keys/bad.pub' }
    },
    check: 'public-keys',
    says: 'keys/bad.pub is not a readable PEM public key',
  },
  {
    way: 'a public-keys file holds no key',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      put(ws, 'keys/empty.pub', '\n')
      return { files: 'a.json', 'public-keys': 'keys/empty.pub' }
    },
    check: 'public-keys',
    says: 'holds no PEM or minisign public key',
  },
  {
    way: 'a public-keys file does not exist',
    setup: (ws) => {
      dgstSigned(ws, 'p256')
      return { files: 'a.json', 'public-keys': 'keys/release.pub' }
    },
    check: 'public-keys',
    says: 'keys/release.pub does not exist',
  },
  {
    way: 'the allowed_signers file does not exist',
    setup: (ws) => ({ ...sshSigned(ws), 'allowed-signers': 'ops/allowed_signers' }),
    check: 'allowed-signers',
    says: 'ops/allowed_signers does not exist',
  },
  {
    way: 'the allowed_signers file lists no signers',
    setup: (ws) => {
      const inputs = sshSigned(ws)
      writeFileSync(path.join(ws, 'allowed_signers'), '# nobody yet\n')
      return inputs
    },
    check: 'allowed-signers',
    says: 'lists no signers',
  },
  {
    way: 'the allowed_signers file is malformed',
    setup: (ws) => {
      const inputs = sshSigned(ws)
      writeFileSync(path.join(ws, 'allowed_signers'), `alice@example.com frobnicate ${sshPub(ssh('alice'))}\n`)
      return inputs
    },
    check: 'allowed-signers',
    says: 'allowed_signers line 1',
  },
  // Unsupported algorithms: refused by name, never called tampering
  {
    way: 'a public key of 1024 bits',
    setup: (ws) => {
      dgstSigned(ws, 'rsa1024')
      return { files: 'a.json', 'public-keys': K.rsa1024.pub }
    },
    check: 'public-keys',
    says: 'at least 2048 bits are required',
    refused: true,
  },
  {
    way: 'an Ed448 public key',
    setup: (ws) => {
      put(ws, 'a.json', policy)
      return { files: 'a.json', 'public-keys': K.ed448.pub }
    },
    check: 'public-keys',
    says: 'Ed25519, ECDSA and RSA keys are supported',
    refused: true,
  },
  {
    way: 'a secp256k1 public key',
    setup: (ws) => {
      dgstSigned(ws, 'secp256k1')
      return { files: 'a.json', 'public-keys': K.secp256k1.pub }
    },
    check: 'public-keys',
    says: 'P-256, P-384 and P-521 are supported',
    refused: true,
  },
  {
    way: 'a DSA public key',
    setup: (ws) => {
      dgstSigned(ws, 'dsa')
      return { files: 'a.json', 'public-keys': K.dsa.pub }
    },
    check: 'public-keys',
    says: 'is a dsa key',
    refused: true,
  },
  {
    way: 'an RSA signature over SHA-1',
    setup: (ws) => {
      dgstSigned(ws, 'rsa', 'sha1')
      return { files: 'a.json', 'public-keys': K.rsa.pub }
    },
    check: 'a.json',
    says: 'with PKCS#1 v1.5 SHA-1, which this gate does not accept',
    refused: true,
  },
  {
    way: 'an ECDSA signature over SHA-224',
    setup: (ws) => {
      dgstSigned(ws, 'p256', 'sha224')
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'with ECDSA SHA-224, which this gate does not accept',
    refused: true,
  },
  {
    way: 'an SSH signature by a DSA key',
    setup: (ws) => {
      const file = put(ws, 'a.json', policy)
      sshSign(ssh('ssh-dsa'), file)
      put(ws, 'allowed_signers', `dsa@example.com ${sshPub(ssh('ssh-dsa'))}\n`)
      return { files: 'a.json', 'allowed-signers': 'allowed_signers' }
    },
    check: 'a.json',
    says: 'unsupported type',
    refused: true,
  },
  {
    way: 'a security-key SSH signature',
    setup: (ws) => {
      const file = put(ws, 'a.json', policy)
      const { armor, publicKey } = securityKeySshSig('ed25519', readFileSync(file))
      put(ws, 'a.json.sig', armor)
      put(ws, 'allowed_signers', `yubi@example.com ${publicKey}\n`)
      return { files: 'a.json', 'allowed-signers': 'allowed_signers' }
    },
    check: 'a.json',
    says: 'is a security-key type (sk-ssh-ed25519@openssh.com)',
    refused: true,
  },
  {
    way: 'a keyless Sigstore bundle',
    setup: (ws) => {
      const file = put(ws, 'a.json', policy)
      put(
        ws,
        'a.json.sigstore.json',
        JSON.stringify({
          mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          verificationMaterial: { certificate: { rawBytes: 'MIIBkzCCATmgAwIBAgIU' }, tlogEntries: [] },
          messageSignature: {
            messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(readFileSync(file)).digest('base64') },
            signature: dgstSign(K.p256.priv, file, 'sha256').toString('base64'),
          },
        }),
      )
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'key-based Sigstore bundles only',
    refused: true,
  },
  // Verification
  {
    way: 'an openssl signature by an untrusted key',
    setup: (ws) => {
      dgstSigned(ws, 'other')
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'verifies with none of the 1 configured ECDSA key',
  },
  {
    way: 'an SSH signature by a key allowed_signers does not list',
    setup: (ws) => sshSigned(ws, { signer: 'mallory' }),
    check: 'a.json',
    says: 'which no line of allowed_signers lists',
  },
  {
    way: 'an SSH signature with no allowed-signers to trust it',
    setup: (ws) => ({ ...sshSigned(ws), 'allowed-signers': '', 'public-keys': K.p256.pub }),
    check: 'a.json',
    says: 'no `allowed-signers` file is loaded',
  },
  {
    way: 'the policy changed after signing',
    setup: (ws) => {
      const inputs = sshSigned(ws)
      writeFileSync(path.join(ws, 'a.json'), policy.replace('deploy', 'deploy","admin'))
      return inputs
    },
    check: 'a.json',
    says: 'changed after signing',
  },
  {
    way: 'an SSH signature made for another namespace',
    setup: (ws) => sshSigned(ws, { ns: 'git' }),
    check: 'a.json',
    says: 'namespace "git"',
  },
  {
    way: 'a signer past its valid-before',
    setup: (ws) => sshSigned(ws, { line: 'alice@example.com valid-before="20260101Z"' }),
    check: 'a.json',
    says: '(valid-before)',
  },
  {
    way: 'a cert-authority line for a plain key',
    setup: (ws) => sshSigned(ws, { line: 'alice@example.com cert-authority' }),
    check: 'a.json',
    says: 'cert-authority',
  },
  {
    way: 'a minisign signature by an untrusted key id',
    setup: (ws) => {
      minisignSign(K.otherMini.priv, put(ws, 'a.json', policy))
      return { files: 'a.json', 'public-keys': K.mini.pub }
    },
    check: 'a.json',
    says: 'a.json.minisig',
  },
  {
    way: 'a minisign trusted comment altered',
    setup: (ws) => {
      const file = put(ws, 'a.json', policy)
      minisignSign(K.mini.priv, file)
      const lines = readFileSync(`${file}.minisig`, 'utf8').split('\n')
      lines[2] = 'trusted comment: approved by nobody'
      writeFileSync(`${file}.minisig`, lines.join('\n'))
      return { files: 'a.json', 'public-keys': K.mini.pub }
    },
    check: 'a.json',
    says: 'trusted comment',
  },
  {
    way: 'a Sigstore bundle whose digest is not the file',
    setup: (ws) => {
      const file = put(ws, 'a.json', policy)
      put(
        ws,
        'a.json.sigstore.json',
        JSON.stringify({
          mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          verificationMaterial: { publicKey: { hint: 'x' }, tlogEntries: [] },
          messageSignature: {
            messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update('other').digest('base64') },
            signature: dgstSign(K.p256.priv, file, 'sha256').toString('base64'),
          },
        }),
      )
      return { files: 'a.json', 'public-keys': K.p256.pub }
    },
    check: 'a.json',
    says: 'the file changed after signing',
  },
]

suite('policy-signatures fails closed', () => {
  let n = 0
  it.each(CASES)('$way: fail ($check), with a sentence', async ({ setup, check, says, refused }) => {
    const ws = path.join(root, `ws${++n}`)
    mkdirSync(ws)
    const inputs = setup(ws)
    const log: string[] = []
    const r = await runGate(policySignatures, inputs, defaultContext({ log: (l) => log.push(l), cwd: ws, workspace: ws, now: () => NOW }), {
      id: 'policy-signatures',
    })
    expect(r.status, r.checks.map((c) => `${c.status} ${c.name}: ${c.message}`).join('\n')).toBe('fail')
    const c = r.checks.find((x) => x.name === check && x.status === 'fail')
    expect(c, `no failing check named ${check}: ${r.checks.map((x) => `${x.status} ${x.name}: ${x.message}`).join('\n')}`).toBeDefined()
    expect(c!.message).toContain(says)
    for (const x of r.checks.filter((y) => y.status === 'fail')) {
      expect(x.message).toMatch(/[.)]$/)
      // NaN as a word, not inside a base64 fingerprint that happens to spell it.
      expect(x.message).not.toMatch(/\n\s+at |Error: |undefined|(?<![A-Za-z0-9+/])NaN(?![A-Za-z0-9+/=])|\[object /)
    }
    // A refusal is never a claim that the file was tampered with.
    if (refused) expect(c!.message).not.toContain('changed after signing')
  })
})
