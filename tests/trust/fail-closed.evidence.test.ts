/**
 * Every way the evidence gate can fail to establish integrity, one row each: a `fail` with a
 * sentence (never a pass, never a stack trace, never `tampered=false`). Real files: folders hashed
 * by `sha256sum`, keys and signatures made by `openssl`. A new way to fail goes into CASES.
 */
import { mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evidenceCommand } from '../../src/cli/evidence.js'
import { keyPair, opensslSign, sealedWorkspace, sh, verify, workspace } from '../gates/evidence/support.js'
import { CI, TOOLS, opensslKey } from '../support/signature-tools.js'

const HMAC = 'fail-closed-hmac-key-0123456789abcdef'

interface Case {
  /** How the gate fails to measure. */
  way: string
  /** Builds the workspace with real files; returns the inputs the gate gets. */
  setup: () => { ws: string; inputs: Record<string, string> }
  /** The failing check, and a fragment of its sentence. */
  check: string
  says: string
  /** A fail that changes nothing that was sealed (an extra file): `tampered` stays `false`, by contract. */
  sealedIntact?: true
}

type Sealed = ReturnType<typeof sealedWorkspace>
const sealed = (edit: (w: Sealed) => Record<string, string> | void = () => {}) => {
  return () => {
    const w = sealedWorkspace()
    return { ws: w.ws, inputs: edit(w) ?? {} }
  }
}
const hmacOf = (file: string, key = HMAC) => sh('openssl', ['dgst', '-sha256', '-hmac', key, '-r', file]).toString().slice(0, 64) + '\n'
const signed = (kind: 'p256' | 'rsa' | 'ed25519', w: Sealed) => {
  const k = keyPair(w.ws, kind)
  opensslSign(kind, k.priv, w.manifest, `${w.manifest}.sig`)
  return k
}

const CASES: Case[] = [
  // The folder and its manifest
  {
    way: 'the folder does not exist',
    setup: () => ({ ws: workspace(), inputs: {} }),
    check: 'path',
    says: 'does not exist',
  },
  {
    way: 'the folder is a file',
    setup: () => {
      const ws = workspace()
      writeFileSync(path.join(ws, 'evidence'), 'not a folder\n')
      return { ws, inputs: {} }
    },
    check: 'path',
    says: 'is not a folder',
  },
  { way: 'the manifest is missing', setup: sealed((w) => unlinkSync(w.manifest)), check: 'manifest', says: 'No manifest at' },
  {
    way: 'the manifest is empty',
    setup: sealed((w) => writeFileSync(w.manifest, '')),
    check: 'manifest',
    says: 'the manifest is empty',
  },
  {
    way: 'the manifest is unparsable',
    setup: sealed((w) => writeFileSync(w.manifest, 'this is not a manifest\n')),
    check: 'manifest',
    says: 'cannot be used',
  },
  {
    way: 'the manifest is binary garbage',
    setup: sealed((w) => writeFileSync(w.manifest, Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x80, 0x0a]))),
    check: 'manifest',
    says: 'cannot be used',
  },
  {
    way: 'the manifest is a symbolic link',
    setup: sealed((w) => {
      const real = path.join(w.ws, 'SUMS.real')
      writeFileSync(real, readFileSync(w.manifest))
      unlinkSync(w.manifest)
      symlinkSync(real, w.manifest)
    }),
    check: 'manifest',
    says: 'symbolic link',
  },
  // The listed files
  {
    way: 'a listed file is missing',
    setup: sealed((w) => unlinkSync(path.join(w.dir, 'sbom.json'))),
    check: 'sbom.json',
    says: 'does not exist in',
  },
  {
    way: 'a listed file was altered',
    setup: sealed((w) => writeFileSync(path.join(w.dir, 'db', 'migrations.sql'), 'DROP TABLE payouts;\n')),
    check: 'db/migrations.sql',
    says: 'does not match the manifest',
  },
  {
    way: 'a listed file was replaced by a symbolic link',
    setup: sealed((w) => {
      unlinkSync(path.join(w.dir, 'sbom.json'))
      symlinkSync('/etc/hostname', path.join(w.dir, 'sbom.json'))
    }),
    check: 'sbom.json',
    says: 'not verified',
  },
  {
    way: 'a manifest entry escapes the folder',
    setup: sealed((w) => writeFileSync(w.manifest, readFileSync(w.manifest, 'utf8') + `${'0'.repeat(64)}  ../outside.txt\n`)),
    check: '../outside.txt',
    says: 'Manifest line',
  },
  {
    way: 'an unlisted file with extra-files: fail',
    setup: sealed((w) => {
      writeFileSync(path.join(w.dir, 'late.txt'), 'added later\n')
      return { 'extra-files': 'fail' }
    }),
    check: 'late.txt',
    says: 'does not list',
    sealedIntact: true,
  },
  // A signature nobody checks
  {
    way: 'a .sig beside the manifest and no key',
    setup: sealed((w) => void writeFileSync(`${w.manifest}.sig`, hmacOf(w.manifest))),
    check: 'signature',
    says: 'set `hmac-key`',
  },
  {
    way: 'a .sig beside the manifest and hmac-key given empty',
    setup: sealed((w) => {
      writeFileSync(`${w.manifest}.sig`, hmacOf(w.manifest))
      return { 'hmac-key': '' }
    }),
    check: 'signature',
    says: 'an empty input, such as an unset secret, counts as not given',
  },
  {
    way: 'a .sig beside the manifest and public-key given as whitespace',
    setup: sealed((w) => {
      signed('p256', w)
      return { 'public-key': '  \n ' }
    }),
    check: 'signature',
    says: 'set `public-key`',
  },
  // minisign is installed by .ci/run; a machine without it skips this one row.
  ...(TOOLS || CI
    ? [
        {
          way: 'a minisign signature beside the manifest, which this gate never checks',
          setup: sealed((w) => {
            const mini = path.join(w.ws, 'mini')
            sh('minisign', ['-G', '-W', '-p', `${mini}.pub`, '-s', `${mini}.key`])
            sh('minisign', ['-S', '-s', `${mini}.key`, '-m', w.manifest])
          }),
          check: 'signature',
          says: 'SHA256SUMS.minisig lies beside the manifest',
        },
      ]
    : []),
  {
    way: '`signature` given and no key',
    setup: sealed((w) => {
      writeFileSync(path.join(w.ws, 'detached.sig'), hmacOf(w.manifest))
      return { signature: 'detached.sig' }
    }),
    check: 'signature',
    says: 'neither `public-key` nor `hmac-key`',
  },
  // The signature
  {
    way: 'the signature is missing',
    setup: sealed((w) => ({ 'public-key': keyPair(w.ws, 'p256').pub })),
    check: 'signature',
    says: 'does not exist',
  },
  {
    way: 'the signature is empty (public key)',
    setup: sealed((w) => {
      const k = signed('ed25519', w)
      writeFileSync(`${w.manifest}.sig`, '')
      return { 'public-key': k.pub }
    }),
    check: 'signature',
    says: 'is empty (0 bytes)',
  },
  {
    way: 'the signature is empty (HMAC)',
    setup: sealed((w) => {
      writeFileSync(`${w.manifest}.sig`, '')
      return { 'hmac-key': HMAC }
    }),
    check: 'signature',
    says: 'is empty (0 bytes)',
  },
  {
    way: 'the signature is a folder',
    setup: sealed((w) => {
      mkdirSync(`${w.manifest}.sig`)
      return { 'hmac-key': HMAC }
    }),
    check: 'signature',
    says: 'is not a regular file',
  },
  {
    way: 'the signature was made by another key',
    setup: sealed((w) => {
      signed('p256', w)
      return { 'public-key': keyPair(w.ws, 'p256', 'other').pub }
    }),
    check: 'signature',
    says: 'does not verify',
  },
  {
    way: 'the manifest was edited after signing',
    setup: sealed((w) => {
      const k = signed('rsa', w)
      writeFileSync(
        w.manifest,
        readFileSync(w.manifest, 'utf8').replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')),
      )
      return { 'public-key': k.pub }
    }),
    check: 'signature',
    says: 'the manifest was changed after signing',
  },
  {
    way: 'the HMAC was made with another key',
    setup: sealed((w) => {
      writeFileSync(`${w.manifest}.sig`, hmacOf(w.manifest, 'another-key-entirely-0000'))
      return { 'hmac-key': HMAC }
    }),
    check: 'signature',
    says: 'does not verify with `hmac-key`',
  },
  {
    way: 'the HMAC is malformed',
    setup: sealed((w) => {
      writeFileSync(`${w.manifest}.sig`, hmacOf(w.manifest).toUpperCase())
      return { 'hmac-key': HMAC }
    }),
    check: 'signature',
    says: 'is not a hex HMAC-SHA256',
  },
  // The key
  {
    way: 'the key is unparsable PEM',
    setup: sealed((w) => {
      writeFileSync(`${w.manifest}.sig`, 'c2ln\n')
      return { 'public-key': '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n' }
    }),
    check: 'signature',
    says: 'is not a PEM public key',
  },
  {
    way: 'the key file does not exist',
    setup: sealed((w) => {
      writeFileSync(`${w.manifest}.sig`, 'c2ln\n')
      return { 'public-key': 'keys/cosign.pub' }
    }),
    check: 'signature',
    says: 'keys/cosign.pub does not exist',
  },
  {
    way: 'the key is a private key',
    setup: sealed((w) => {
      const k = signed('p256', w)
      return { 'public-key': readFileSync(k.priv, 'utf8') }
    }),
    check: 'signature',
    says: 'holds a PRIVATE key',
  },
  {
    way: 'the key is pasted without its BEGIN line',
    setup: sealed((w) => {
      const k = signed('p256', w)
      return { 'public-key': readFileSync(k.pub, 'utf8').split('\n').slice(1).join('\n') }
    }),
    check: 'signature',
    says: 'without a -----BEGIN',
  },
  {
    way: 'the key is of an unsupported algorithm (DSA)',
    setup: sealed((w) => {
      writeFileSync(`${w.manifest}.sig`, 'c2ln\n')
      return { 'public-key': opensslKey(w.ws, 'dsa').pub }
    }),
    check: 'signature',
    says: 'is a dsa key',
  },
  {
    way: 'the signature uses an unsupported hash (RSA SHA-1)',
    setup: sealed((w) => {
      const k = opensslKey(w.ws, 'rsa')
      writeFileSync(`${w.manifest}.sig`, sh('openssl', ['dgst', '-sha1', '-sign', k.priv, w.manifest]))
      return { 'public-key': k.pub }
    }),
    check: 'signature',
    says: 'was made with PKCS#1 v1.5 SHA-1, which is not accepted',
  },
  {
    way: 'the signature uses an unsupported hash (ECDSA SHA-224)',
    setup: sealed((w) => {
      const k = opensslKey(w.ws, 'p256')
      writeFileSync(`${w.manifest}.sig`, sh('openssl', ['dgst', '-sha224', '-sign', k.priv, w.manifest]))
      return { 'public-key': k.pub }
    }),
    check: 'signature',
    says: 'was made with ECDSA SHA-224, which is not accepted',
  },
  // The ledger
  {
    way: 'the ledger does not exist',
    setup: sealed(() => ({ ledger: 'cutover-reports/ledger.jsonl' })),
    check: 'ledger',
    says: 'The ledger cannot be verified',
  },
  {
    way: 'the ledger is not a ledger',
    setup: sealed((w) => {
      writeFileSync(path.join(w.ws, 'ledger.jsonl'), 'not json at all\n')
      return { ledger: 'ledger.jsonl' }
    }),
    check: 'ledger',
    says: 'ledger',
  },
  // Inputs
  {
    way: 'both keys are given',
    setup: sealed((w) => ({ 'public-key': keyPair(w.ws, 'p256').pub, 'hmac-key': HMAC })),
    check: 'inputs',
    says: 'not both',
  },
]

describe('evidence fails closed', () => {
  it.each(CASES)('$way: fail ($check), with a sentence', async ({ setup, check, says, sealedIntact }) => {
    const { ws, inputs } = setup()
    const r = await verify(ws, inputs)
    expect(r.status, JSON.stringify(r.checks, null, 1)).toBe('fail')
    if (!sealedIntact) expect(r.outputs.tampered).not.toBe('false')
    const c = r.checks.find((x) => x.name === check && x.status === 'fail')
    expect(c, `no failing check named ${check}: ${r.checks.map((x) => `${x.status} ${x.name}: ${x.message}`).join('\n')}`).toBeDefined()
    expect(c!.message).toContain(says)
    for (const x of r.checks.filter((y) => y.status === 'fail')) {
      expect(x.message).toMatch(/[.)]$/)
      expect(x.message).not.toMatch(/\n\s+at |Error: |undefined|NaN/)
    }
    expect(r.summary).toMatch(/^evidence: FAIL: /)
  })

  it('the same table through `cutover evidence verify`: exit 2, and never tampered=false', async () => {
    let ran = 0
    for (const c of CASES) {
      const { ws, inputs } = c.setup()
      const args = ['verify', 'evidence']
      const env: Record<string, string> = {}
      for (const [name, value] of Object.entries(inputs)) {
        if (name === 'hmac-key') {
          env.EVIDENCE_KEY = value
          args.push('--hmac-env', 'EVIDENCE_KEY')
        } else args.push(`--${name}`, value)
      }
      let out = ''
      const code = await evidenceCommand(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: ws, env })
      expect(code, `${c.way}:\n${out}`).toBe(2)
      if (!c.sealedIntact) expect(out, c.way).not.toContain('Tampered: no')
      expect(out, c.way).not.toMatch(/\n\s+at /)
      ran++
    }
    expect(ran).toBe(CASES.length)
  })
})
