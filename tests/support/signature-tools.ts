// Keys and signatures made at test time by tools that are not ours (openssl, ssh-keygen, minisign),
// for the policy-signatures and evidence tests that need real-world inputs. Where no tool on the
// machine can make a form (security-key SSHSIG needs a FIDO device; no OpenSSH release signs with a
// post-quantum key yet), `sshWire` builds it byte for byte from PROTOCOL.sshsig / PROTOCOL.u2f with
// real node:crypto signatures, so only the container is ours.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const CI = process.env.CI === 'true'
const has = (cmd: string, args: string[]) => !spawnSync(cmd, args, { stdio: 'ignore' }).error
export const TOOLS = has('openssl', ['version']) && has('ssh-keygen', ['-?']) && has('minisign', ['-v'])

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: Buffer | string } = {}): Buffer {
  try {
    return execFileSync(cmd, args, { cwd: opts.cwd, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] })
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string }
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`)
  }
}

/** A temporary folder, removed by the returned function. */
export function tempRoot(prefix: string): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), prefix))
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

export type OpensslKind = 'ed25519' | 'p256' | 'p384' | 'rsa' | 'dsa' | 'secp256k1'
const GENPKEY: Record<OpensslKind, string[]> = {
  ed25519: ['-algorithm', 'ed25519'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  secp256k1: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  dsa: [],
}

/** An openssl key pair in `dir`: `<name>.key` (PKCS#8 PEM) and `<name>.pub` (SPKI PEM). */
export function opensslKey(dir: string, kind: OpensslKind, name: string = kind): { priv: string; pub: string } {
  mkdirSync(dir, { recursive: true })
  const priv = path.join(dir, `${name}.key`)
  const pub = path.join(dir, `${name}.pub`)
  if (kind === 'dsa') {
    const params = path.join(dir, `${name}.params`)
    run('openssl', ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', params])
    run('openssl', ['genpkey', '-paramfile', params, '-out', priv])
  } else run('openssl', ['genpkey', ...GENPKEY[kind], '-out', priv])
  run('openssl', ['pkey', '-in', priv, '-pubout', '-out', pub])
  return { priv, pub }
}

/** `openssl dgst -<hash> -sign`: the raw (DER for ECDSA) signature bytes of `file`. */
export function dgstSign(priv: string, file: string, hash: string, extra: string[] = []): Buffer {
  return run('openssl', ['dgst', `-${hash}`, '-sign', priv, ...extra, file])
}

/** `openssl dgst -<hash> -verify`: true when openssl accepts the signature. */
export function dgstVerifies(pub: string, file: string, sigFile: string, hash: string, extra: string[] = []): boolean {
  return spawnSync('openssl', ['dgst', `-${hash}`, '-verify', pub, '-signature', sigFile, ...extra, file]).status === 0
}

/** `openssl pkeyutl -sign -rawin` (Ed25519 over the file itself). */
export function rawinSign(priv: string, file: string): Buffer {
  return run('openssl', ['pkeyutl', '-sign', '-inkey', priv, '-rawin', '-in', file])
}

/** The ssh-keygen key types to try, with their -t/-b arguments; the installed OpenSSH decides which it makes. */
export const SSH_KEY_TYPES = [
  { name: 'ed25519', args: ['-t', 'ed25519'], type: 'ssh-ed25519' },
  { name: 'ecdsa256', args: ['-t', 'ecdsa', '-b', '256'], type: 'ecdsa-sha2-nistp256' },
  { name: 'ecdsa384', args: ['-t', 'ecdsa', '-b', '384'], type: 'ecdsa-sha2-nistp384' },
  { name: 'ecdsa521', args: ['-t', 'ecdsa', '-b', '521'], type: 'ecdsa-sha2-nistp521' },
  { name: 'rsa', args: ['-t', 'rsa', '-b', '3072'], type: 'ssh-rsa' },
  { name: 'dsa', args: ['-t', 'dsa'], type: 'ssh-dss' },
] as const

/** Makes an OpenSSH key; false when this ssh-keygen cannot make the type (e.g. DSA after OpenSSH 9.8). */
export function sshKey(file: string, args: readonly string[], comment = 'test@example.com'): boolean {
  mkdirSync(path.dirname(file), { recursive: true })
  return spawnSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' }).status === 0
}

/** `type base64` of an OpenSSH public key file (the part an allowed_signers line holds). */
export function sshPub(keyFile: string): string {
  return readFileSync(`${keyFile}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')
}

export function sshSign(keyFile: string, file: string, ns = 'file', extra: string[] = []): void {
  run('ssh-keygen', ['-Y', 'sign', '-n', ns, '-f', keyFile, ...extra, file])
}

/** `ssh-keygen -Y verify` against an allowed_signers file. */
export function sshVerifies(signers: string, file: string, principal: string, ns = 'file', sig = `${file}.sig`): boolean {
  return (
    spawnSync('ssh-keygen', ['-Y', 'verify', '-f', signers, '-I', principal, '-n', ns, '-s', sig], { input: readFileSync(file) }).status ===
    0
  )
}

/** A minisign key pair without a password: `<name>.pub`, `<name>.key`. */
export function minisignKey(dir: string, name: string): { priv: string; pub: string } {
  const priv = path.join(dir, `${name}.key`)
  const pub = path.join(dir, `${name}.pub`)
  run('minisign', ['-G', '-W', '-p', pub, '-s', priv])
  return { priv, pub }
}

export function minisignSign(priv: string, file: string): void {
  run('minisign', ['-S', '-s', priv, '-m', file])
}

// ---------------------------------------------------------------------------------------------
// SSH wire encoding, for the forms no installed tool can produce.

export const sshWire = {
  string(value: Buffer | string): Buffer {
    const body = typeof value === 'string' ? Buffer.from(value, 'latin1') : value
    const len = Buffer.alloc(4)
    len.writeUInt32BE(body.length)
    return Buffer.concat([len, body])
  },
  u32(n: number): Buffer {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(n)
    return b
  },
  mpint(magnitude: Buffer): Buffer {
    let m = magnitude
    while (m.length > 0 && m[0] === 0) m = m.subarray(1)
    return sshWire.string(m.length > 0 && m[0] & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m)
  },
  armor(blob: Buffer): string {
    const b64 = blob
      .toString('base64')
      .match(/.{1,70}/g)!
      .join('\n')
    return `-----BEGIN SSH SIGNATURE-----\n${b64}\n-----END SSH SIGNATURE-----\n`
  },
}

/** A public key blob of a type no OpenSSH release can make yet: the type string, then opaque key bytes. */
export function futureKeyBlob(type: string, size = 1952): Buffer {
  return Buffer.concat([
    sshWire.string(type),
    sshWire.string(createHash('sha512').update(type).digest().subarray(0, 32)),
    sshWire.string(Buffer.alloc(size, 7)),
  ])
}

/**
 * A security-key SSHSIG (PROTOCOL.u2f "SSH U2F signatures") over `message`: the authenticator signs
 * SHA256(application) || flags || counter || SHA256(SSHSIG signed data), and the signature blob
 * carries the flags and counter after the signature proper: the 5 bytes a plain parser trips over.
 */
export function securityKeySshSig(kind: 'ed25519' | 'ecdsa', message: Buffer, namespace = 'file'): { armor: string; publicKey: string } {
  const application = 'ssh:'
  const flags = 0x01 // user present
  const counter = 42
  let type: string
  let publicBlob: Buffer
  let signer: (data: Buffer) => Buffer
  if (kind === 'ed25519') {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
    type = 'sk-ssh-ed25519@openssh.com'
    publicBlob = Buffer.concat([sshWire.string(type), sshWire.string(raw), sshWire.string(application)])
    signer = (data) => sshWire.string(sign(null, data, privateKey))
  } else {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = publicKey.export({ format: 'jwk' })
    const q = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')])
    type = 'sk-ecdsa-sha2-nistp256@openssh.com'
    publicBlob = Buffer.concat([sshWire.string(type), sshWire.string('nistp256'), sshWire.string(q), sshWire.string(application)])
    signer = (data) => {
      const p1363 = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
      return sshWire.string(Buffer.concat([sshWire.mpint(p1363.subarray(0, 32)), sshWire.mpint(p1363.subarray(32))]))
    }
  }
  const hashAlg = 'sha512'
  const signedData = Buffer.concat([
    Buffer.from('SSHSIG'),
    sshWire.string(namespace),
    sshWire.string(''),
    sshWire.string(hashAlg),
    sshWire.string(createHash(hashAlg).update(message).digest()),
  ])
  const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest()
  const authData = Buffer.concat([sha256(application), Buffer.from([flags]), sshWire.u32(counter), sha256(signedData)])
  const sigBlob = Buffer.concat([sshWire.string(type), signer(authData), Buffer.from([flags]), sshWire.u32(counter)])
  const blob = Buffer.concat([
    Buffer.from('SSHSIG'),
    sshWire.u32(1),
    sshWire.string(publicBlob),
    sshWire.string(namespace),
    sshWire.string(''),
    sshWire.string(hashAlg),
    sshWire.string(sigBlob),
  ])
  return { armor: sshWire.armor(blob), publicKey: `${type} ${publicBlob.toString('base64')}` }
}
