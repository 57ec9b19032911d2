/**
 * Sealing: write `SHA256SUMS` (GNU form, so `sha256sum -c` accepts it) for every regular file
 * below a folder, and optionally a detached signature of it (`<manifest>.sig`). A folder holding
 * anything the verifier would refuse (a symbolic link, a FIFO, a name with a backslash or a
 * newline, a name that is not UTF-8) is not sealed: the seal would not verify.
 */
import { lstat, rm } from 'node:fs/promises'
import { writeFileAtomic } from '../core/files.js'
import path from 'node:path'
import { formatBytes } from '../core/units.js'
import type { KeyObject } from 'node:crypto'
import { hashFiles } from '../lib/manifest/hash.js'
import { formatManifest, showPath } from '../lib/manifest/manifest.js'
import { checkEntryPath, insideRel, walkFolder } from '../lib/manifest/paths.js'
import { describeKey, hmacHex, signManifest } from '../lib/signing/signature.js'

export class SealError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SealError'
  }
}

/** A signature lies where the new manifest's would go, and no key was given to re-sign: sealing would drop it. */
export class SignatureInTheWay extends SealError {
  constructor(readonly signaturePath: string) {
    super('a signature lies beside the manifest, and no key was given to re-sign it')
    this.name = 'SignatureInTheWay'
  }
}

export interface SealOptions {
  /** Manifest path relative to the folder (default `SHA256SUMS`). */
  manifest?: string
  privateKey?: KeyObject
  /** HMAC-SHA256 key; the caller takes it from the environment, never from a command line. */
  hmacKey?: string
  workers?: number
  log?: (line: string) => void
  /** How the folder is named in messages (default: `dir` as given). */
  label?: string
  /**
   * Sealing without a key where a signature lies: refuse (the default, SignatureInTheWay, nothing
   * written) or drop the old signature, which would no longer match the new manifest.
   */
  dropSignature?: boolean
}

export interface SealResult {
  manifestPath: string
  signaturePath?: string
  /** `ECDSA P-256`, `Ed25519`, `HMAC-SHA256`, ... */
  signedWith?: string
  /** The old signature removed because it was sealed unsigned with `dropSignature`. */
  droppedSignature?: string
  files: number
  bytes: number
}

/** The `/`-separated path of `target` inside `root`, or undefined when it lies outside. */

export async function sealFolder(dir: string, opts: SealOptions = {}): Promise<SealResult> {
  if (opts.privateKey && opts.hmacKey !== undefined)
    throw new SealError('give either a private key or an HMAC key, not both: the manifest has one signature file')
  const root = path.resolve(dir)
  const name = opts.label ?? dir
  let st
  try {
    st = await lstat(root)
  } catch {
    throw new SealError(`${name} does not exist`)
  }
  if (!st.isDirectory()) throw new SealError(`${name} is not a folder`)

  const manifestPath = path.resolve(root, opts.manifest ?? 'SHA256SUMS')
  const signaturePath = `${manifestPath}.sig`
  const unsigned = !opts.privateKey && opts.hmacKey === undefined
  // Checked before anything is written: a refused seal leaves the old manifest and signature as they were.
  const oldSignature =
    unsigned &&
    (await lstat(signaturePath).then(
      () => true,
      () => false,
    ))
  if (oldSignature && !opts.dropSignature) throw new SignatureInTheWay(signaturePath)
  const skip = new Set([insideRel(root, manifestPath), insideRel(root, signaturePath)].filter((p): p is string => p !== undefined))
  const found = await walkFolder(root, skip, { stat: true })
  const refused: string[] = []
  for (const f of found) {
    if (f.badName) refused.push(`${showPath(f.path)} has a name that is not UTF-8`)
    else if (f.kind !== 'file') refused.push(`${showPath(f.path)} is ${f.kind}`)
    else if ('kind' in checkEntryPath(f.path))
      refused.push(`${showPath(f.path)} has a name a manifest cannot hold safely (a backslash or a control character)`)
  }
  if (refused.length) {
    const more = refused.length > 5 ? ` (+${refused.length - 5} more)` : ''
    throw new SealError(
      `${name} holds what evidence cannot: ${refused.slice(0, 5).join('; ')}${more}. Evidence is regular files only: replace links with copies and rename or remove the rest`,
    )
  }
  if (found.length === 0) throw new SealError(`${name} holds no files to seal`)

  const bytes = found.reduce((n, f) => n + f.size, 0)
  opts.log?.(`Hashing ${found.length} files (${formatBytes(bytes)}) below ${name}`)
  const outcomes = await hashFiles(
    found.map((f) => ({ file: path.join(root, ...f.path.split('/')), dev: f.dev, ino: f.ino, size: f.size })),
    { workers: opts.workers },
  )
  const failed = outcomes.map((o, i) => (o.ok ? undefined : `${showPath(found[i].path)}: ${o.message}`)).filter(Boolean)
  if (failed.length) throw new SealError(`could not read ${failed.length} file(s) while sealing: ${failed.slice(0, 5).join('; ')}`)

  const text = formatManifest(found.map((f, i) => ({ path: f.path, digest: (outcomes[i] as { digest: string }).digest })))
  await writeFileAtomic(manifestPath, text)
  const result: SealResult = { manifestPath, files: found.length, bytes: outcomes.reduce((n, o) => n + (o.ok ? o.size : 0), 0) }

  const data = Buffer.from(text)
  if (opts.privateKey) {
    // base64 DER without a newline: what `cosign sign-blob --key ... --output-signature` writes.
    await writeFileAtomic(signaturePath, signManifest(data, opts.privateKey).toString('base64'))
    Object.assign(result, { signaturePath, signedWith: describeKey(opts.privateKey) })
  } else if (opts.hmacKey !== undefined) {
    await writeFileAtomic(signaturePath, hmacHex(data, opts.hmacKey) + '\n')
    Object.assign(result, { signaturePath, signedWith: 'HMAC-SHA256' })
  } else if (oldSignature) {
    // Asked for: the old signature would no longer match the new manifest, so it goes.
    await rm(signaturePath, { force: true })
    result.droppedSignature = signaturePath
  }
  return result
}
