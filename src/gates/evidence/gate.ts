/**
 * evidence: proves offline that an evidence folder is what was sealed. Every file the manifest
 * lists must exist below `path` as a regular file (no symbolic link on the way) with the listed
 * SHA-256; files the manifest does not list follow `extra-files`; the manifest's detached
 * signature is checked with `public-key` or `hmac-key`; a `ledger` chain is verified.
 *
 * `tampered` is `false` only when integrity was established: every listed file matched, the
 * signature (when asked for) verified and the ledger (when given) is intact. Extra files do not
 * make it `true` (they change nothing that was sealed); they are reported per `extra-files`.
 */
import path from 'node:path'
import { defineGate, type GateRunContext } from '../../core/gate.js'
import { InputError } from '../../core/inputs.js'
import { LedgerError, verifyLedger } from '../../core/ledger.js'
import { check, type Check, type Status } from '../../core/result.js'
import { formatBytes, formatDuration } from '../../core/units.js'
import { hashFiles, threadsFor, type HashJob } from '../../lib/manifest/hash.js'
import {
  MAX_MANIFEST_BYTES,
  ManifestError,
  parseManifest,
  showPath,
  type Manifest,
  type ManifestEntry,
} from '../../lib/manifest/manifest.js'
import { insideRel, resolveInside, walkFolder, type SafeFile, type UnsafeFile } from '../../lib/manifest/paths.js'
import {
  KeyError,
  MAX_SIGNATURE_BYTES,
  checkManifestSignature,
  describeKey,
  parsePublicKey,
  verifyHmac,
} from '../../lib/signing/signature.js'
import { SUPPORTED_HASHES_TEXT } from '../../lib/signing/detached.js'
import { keyTextWithoutBegin, shapeOf, shownKeyValue } from '../../lib/signing/key-input.js'
import { table } from '../../lib/markdown.js'
import { evidenceInputs, evidenceAction } from './spec.js'

export { evidenceInputs } from './spec.js'

/** At most this many checks per kind of finding (check runs and reports stay readable); the rest are counted in one check. */
export const MAX_CHECKS_PER_KIND = 1000
/** Rows of the failing-files table in the details. */
const DETAIL_ROWS = 50

export const evidence = defineGate({
  name: 'evidence',
  category: 'Infrastructure',
  criteria: { en: 'Evidence integrity', tr: 'Kanıt bütünlüğü' },
  ...evidenceAction,
  inputs: evidenceInputs,
  outputs: {
    tampered:
      '`true` when a listed file is missing or altered, the manifest or its signature does not verify, or the ledger chain is broken; else `false`.',
  },
  async run(settings, ctx) {
    if (settings['public-key'] && settings['hmac-key']) {
      throw new InputError(['give `public-key` or `hmac-key`, not both: the manifest has one signature'])
    }
    const v = new Verification(ctx)
    try {
      await v.run(settings)
    } catch (err) {
      v.fail(
        'gate',
        'an error',
        'a verification',
        `The evidence could not be verified: ${err instanceof Error ? err.message : String(err)}.`,
      )
    }
    return v.outcome()
  },
})

type Settings = Parameters<typeof evidence.run>[0]

interface FileFinding {
  path: string
  line: number
  problem: string
  expected: string
  actual: string
}

class Verification {
  readonly checks: Check[] = []
  readonly metrics: Record<string, number> = {}
  readonly facts: string[] = []
  readonly findings: FileFinding[] = []
  tampered = false
  private counts = new Map<string, number>()

  constructor(private readonly ctx: GateRunContext) {}

  /** A path for a check's location: relative to the workspace, so annotations point at the file. */
  where(abs: string, line?: number): { path: string; line?: number } | undefined {
    const rel = insideRel(path.resolve(this.ctx.workspace), abs)
    if (rel === undefined) return undefined
    return line !== undefined ? { path: rel, line } : { path: rel }
  }

  /** A path to show in a sentence: workspace-relative when inside it. */
  shown(abs: string): string {
    return this.where(abs)?.path ?? abs
  }

  fail(name: string, observed: string, expected: string, message: string, location?: { path: string; line?: number }): void {
    this.tampered = true
    this.checks.push(check('fail', name, observed, expected, message, location))
  }

  /** Adds a per-file check, or counts it once the kind has MAX_CHECKS_PER_KIND checks. */
  perFile(
    kind: string,
    status: Status,
    name: string,
    observed: string,
    expected: string,
    message: string,
    location?: { path: string; line?: number },
  ): void {
    const n = (this.counts.get(kind) ?? 0) + 1
    this.counts.set(kind, n)
    if (n <= MAX_CHECKS_PER_KIND) this.checks.push(check(status, name, observed, expected, message, location))
  }

  overflow(kind: string, status: Status, what: string): void {
    const n = this.counts.get(kind) ?? 0
    if (n > MAX_CHECKS_PER_KIND) {
      this.checks.push(
        check(
          status,
          `${kind} (more)`,
          `${n - MAX_CHECKS_PER_KIND} more`,
          'none',
          `${n - MAX_CHECKS_PER_KIND} more ${what} beyond the ${MAX_CHECKS_PER_KIND} named above.`,
        ),
      )
    }
  }

  async run(s: Settings): Promise<void> {
    await this.folder(s)
    await this.ledger(s)
  }

  private async folder(s: Settings): Promise<void> {
    const root = path.resolve(this.ctx.cwd, s.path)
    const rootShown = this.shown(root)
    let realRoot: string
    try {
      const st = await this.ctx.fs.lstat(root)
      if (!st.isDirectory() && !st.isSymbolicLink()) {
        return this.fail(
          'path',
          'not a folder',
          'a folder',
          `${rootShown} is not a folder: \`path\` must name the evidence folder.`,
          this.where(root),
        )
      }
      realRoot = await this.ctx.fs.realpath(root)
      if (!(await this.ctx.fs.lstat(realRoot)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' })
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      return this.fail(
        'path',
        code === 'ENOENT' ? 'missing' : `unreadable (${code ?? 'error'})`,
        'a folder',
        `The evidence folder ${rootShown} ${code === 'ENOENT' ? 'does not exist' : 'cannot be read'}: check \`path\` (relative to ${this.ctx.cwd}), or that the artifacts were downloaded before this step.`,
      )
    }

    const manifestAbs = path.resolve(realRoot, s.manifest)
    const manifest = await this.readManifest(manifestAbs, s.path, s.manifest)
    if (!manifest) return
    this.metrics.listed = manifest.parsed.entries.length + manifest.parsed.problems.length

    await this.signature(s, manifestAbs, manifest.bytes)

    for (const p of manifest.parsed.problems) {
      this.perFile(
        'unsafe',
        'fail',
        showPath(p.written),
        `refused (${p.kind})`,
        'a safe path inside the folder',
        `Manifest line ${p.line} lists ${showPath(p.written)}, which ${p.reason}: the entry cannot be verified, so the manifest is not trusted. Fix the manifest (re-seal with \`cutover evidence seal\`).`,
        this.where(manifestAbs, p.line),
      )
      this.findings.push({ path: showPath(p.written), line: p.line, problem: `refused: ${p.kind}`, expected: '-', actual: '-' })
    }
    this.metrics.unsafe = manifest.parsed.problems.length
    if (manifest.parsed.problems.length) this.tampered = true

    await this.files(realRoot, rootShown, manifestAbs, manifest.parsed.entries)
    if (s['extra-files'] !== 'ignore') await this.extras(realRoot, manifestAbs, s, manifest.parsed)
  }

  private async readManifest(abs: string, folder: string, written: string): Promise<{ bytes: Buffer; parsed: Manifest } | undefined> {
    const shown = this.shown(abs)
    const loc = this.where(abs)
    let st
    try {
      st = await this.ctx.fs.lstat(abs)
    } catch {
      this.fail(
        'manifest',
        'missing',
        `a manifest at ${shown}`,
        `No manifest at ${shown}: seal the folder with \`cutover evidence seal ${folder}\` (or \`sha256sum\`), or set \`manifest\` (now ${JSON.stringify(written)}, relative to \`path\`).`,
      )
      return undefined
    }
    if (st.isSymbolicLink() || !st.isFile()) {
      this.fail(
        'manifest',
        st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file',
        'a regular file',
        `The manifest ${shown} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: it must be a regular file.`,
        loc,
      )
      return undefined
    }
    if (st.size > MAX_MANIFEST_BYTES) {
      this.fail(
        'manifest',
        formatBytes(st.size),
        `at most ${formatBytes(MAX_MANIFEST_BYTES)}`,
        `The manifest ${shown} is ${formatBytes(st.size)}; manifests above ${formatBytes(MAX_MANIFEST_BYTES)} are refused.`,
        loc,
      )
      return undefined
    }
    const bytes = await this.ctx.fs.readFile(abs)
    try {
      const parsed = parseManifest(bytes)
      this.facts.push(
        `**Manifest** \`${shown}\`: ${parsed.entries.length + parsed.problems.length} entries (${parsed.formats.join(', ') || 'no'} format).`,
      )
      return { bytes, parsed }
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err
      this.fail(
        'manifest',
        'unusable',
        'a SHA-256 manifest',
        `The manifest ${shown} cannot be used: ${err.message}. Re-seal the folder, or restore the manifest that was sealed.`,
        this.where(abs, err.line),
      )
      return undefined
    }
  }

  private async signature(s: Settings, manifestAbs: string, data: Buffer): Promise<void> {
    const publicKey = s['public-key']
    const hmacKey = s['hmac-key']
    const sigAbs = s.signature ? path.resolve(this.ctx.cwd, s.signature) : `${manifestAbs}.sig`
    const sigShown = this.shown(sigAbs)
    // An empty input was already turned into "not given" by the input parser: an unset secret is no key.
    if (!publicKey && !hmacKey) {
      if (s.signature) {
        this.fail(
          'signature',
          'no key',
          '`public-key` or `hmac-key`',
          'A `signature` was given but neither `public-key` nor `hmac-key` (an empty input, such as an unset secret, counts as not given): the signature cannot be checked. Give the key that signed the manifest.',
        )
        return
      }
      const beside = await this.ctx.fs.lstat(sigAbs).then(
        (st) => st,
        () => undefined,
      )
      if (!beside) {
        // A signature in a form this gate never checks (gpg, minisign, a Sigstore bundle) is no less a claim.
        const other = await firstExisting(
          OTHER_SIGNATURES.map((suffix) => `${manifestAbs}${suffix}`),
          this.ctx.fs,
        )
        if (other) {
          this.fail(
            'signature',
            'not checkable',
            `a signature at ${sigShown}`,
            `${this.shown(other)} lies beside the manifest as if it signed it, but this gate checks only ${sigShown} (a PEM-key signature or an HMAC, with \`public-key\` or \`hmac-key\`), so nothing checked it: sign the manifest that way (\`cutover evidence seal --key\`), or remove ${this.shown(other)} if it is not its signature.`,
            this.where(other),
          )
          return
        }
        this.facts.push('**Signature**: none required (no `public-key` or `hmac-key`, and no signature beside the manifest).')
        return
      }
      // A signature nobody checks would let a re-hashed folder pass: it is a fail, naming the input it calls for.
      const hmacLike =
        beside.isFile() && beside.size <= 65 && /^[0-9a-f]{64}\n?$/.test((await this.ctx.fs.readFile(sigAbs)).toString('latin1'))
      const inputs = hmacLike
        ? 'set `hmac-key` (the secret its HMAC-SHA256 was made with) or `public-key`'
        : 'set `public-key` (the PEM public key of the signer) or `hmac-key`'
      this.fail(
        'signature',
        'not checked',
        'a signature checked with `public-key` or `hmac-key`',
        `${sigShown} lies beside the manifest, but neither \`public-key\` nor \`hmac-key\` was given (an empty input, such as an unset secret, counts as not given), so nothing checked it and the manifest cannot be trusted: ${inputs}.`,
        this.where(sigAbs),
      )
      return
    }
    let sig: Buffer
    try {
      const st = await this.ctx.fs.lstat(sigAbs)
      if (!st.isFile()) throw Object.assign(new Error(), { code: 'ENOTREG' })
      if (st.size > MAX_SIGNATURE_BYTES) throw Object.assign(new Error(), { code: 'ETOOBIG' })
      sig = await this.ctx.fs.readFile(sigAbs)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const why =
        code === 'ENOENT'
          ? 'does not exist'
          : code === 'ENOTREG'
            ? 'is not a regular file'
            : code === 'ETOOBIG'
              ? `is larger than ${MAX_SIGNATURE_BYTES} bytes`
              : 'cannot be read'
      this.fail(
        'signature',
        code === 'ENOENT' ? 'missing' : 'unreadable',
        `a signature at ${sigShown}`,
        `The manifest signature ${sigShown} ${why}${s.signature ? '' : ' (the default when `signature` is empty: `<manifest>.sig`)'}: sign the manifest (\`cutover evidence seal --key\`) or set \`signature\`.`,
        this.where(sigAbs),
      )
      return
    }
    const loc = this.where(sigAbs)
    if (sig.length === 0) {
      this.fail(
        'signature',
        'empty',
        `a signature at ${sigShown}`,
        `The manifest signature ${sigShown} is empty (0 bytes): nothing signs the manifest. Sign it again (\`cutover evidence seal --key\` or \`--hmac-env\`), or restore the signature that was made.`,
        loc,
      )
      return
    }
    if (hmacKey) {
      const verdict = verifyHmac(data, sig, hmacKey)
      if (verdict.ok) {
        this.checks.push(
          check(
            'pass',
            'signature',
            'HMAC-SHA256 verified',
            'a valid HMAC-SHA256',
            `The manifest's HMAC-SHA256 (${sigShown}) verifies with \`hmac-key\`.`,
            loc,
          ),
        )
      } else if (verdict.malformed) {
        this.fail(
          'signature',
          'not 64 lowercase hex digits',
          'a hex HMAC-SHA256',
          `The signature ${sigShown} is not a hex HMAC-SHA256 (64 lowercase hex digits, optionally one newline): it was altered, or is another kind of signature.`,
          loc,
        )
      } else {
        this.fail(
          'signature',
          'HMAC-SHA256 mismatch',
          'a valid HMAC-SHA256',
          `The manifest's HMAC-SHA256 (${sigShown}) does not verify with \`hmac-key\`: the manifest or its signature was changed after sealing, or another key was used.`,
          loc,
        )
      }
      return
    }
    let key
    try {
      key = parsePublicKey(await this.pem(publicKey!))
    } catch (err) {
      if (err instanceof KeyError) {
        this.fail('signature', 'unusable key', 'a PEM public key', `${err.message}.`)
        return
      }
      throw err
    }
    const kind = describeKey(key)
    const verdict = checkManifestSignature(data, sig, key)
    if (verdict.ok) {
      this.checks.push(
        check(
          'pass',
          'signature',
          `${kind} verified`,
          `a valid ${kind} signature`,
          `The manifest's signature (${sigShown}) verifies with the ${kind} public key (${verdict.scheme}).`,
          loc,
        ),
      )
    } else if (verdict.why === 'unsupported') {
      // Made by this key, but in a form we refuse: say so, rather than accuse the manifest of changing.
      this.fail(
        'signature',
        `${kind} signature unsupported (${verdict.scheme})`,
        `a ${kind} signature over ${SUPPORTED_HASHES_TEXT}`,
        `The manifest's signature (${sigShown}) was made with ${verdict.scheme}, which is not accepted: sign the manifest over ${SUPPORTED_HASHES_TEXT} (\`cutover evidence seal --key\`, or \`openssl dgst -sha256 -sign\`).`,
        loc,
      )
    } else {
      const why =
        verdict.why === 'mismatch'
          ? `it is a ${verdict.scheme} signature by this key over other bytes: the manifest was changed after signing`
          : 'the manifest or the signature was changed after signing, or another key signed it'
      this.fail(
        'signature',
        `${kind} signature invalid`,
        `a valid ${kind} signature`,
        `The manifest's signature (${sigShown}) does not verify with the ${kind} public key: ${why}.`,
        loc,
      )
    }
  }

  /** Inline PEM, or the path of a PEM file. */
  private async pem(value: string): Promise<string> {
    if (value.includes('-----BEGIN')) return value
    if (shapeOf(value) === 'key-text') throw new KeyError(keyTextWithoutBegin('public-key'))
    const file = path.resolve(this.ctx.cwd, value)
    // Only a value shaped like a path is quoted: anything else may be a key pasted by mistake.
    const shown = shapeOf(value) === 'path' ? this.shown(file) : shownKeyValue(value, 'the file named by `public-key`')
    try {
      const st = await this.ctx.fs.lstat(file)
      if (st.size > 1024 * 1024) throw new KeyError(`\`public-key\` file ${this.shown(file)} is larger than 1 MiB: it is not a public key`)
      return await this.ctx.fs.readFile(file, 'utf8')
    } catch (err) {
      if (err instanceof KeyError) throw err
      throw new KeyError(
        `\`public-key\` is neither a PEM block nor a readable file (${shown} ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'})`,
      )
    }
  }

  private async files(root: string, rootShown: string, manifestAbs: string, entries: ManifestEntry[]): Promise<void> {
    const dirs = new Map<string, UnsafeFile | null>()
    const resolved: (SafeFile | UnsafeFile)[] = []
    for (const e of entries) resolved.push(resolveInside(root, e.path, dirs))
    const safe: { entry: ManifestEntry; file: SafeFile }[] = []
    let missing = 0
    let unsafe = 0
    entries.forEach((e, i) => {
      const r = resolved[i]
      if ('file' in r) return safe.push({ entry: e, file: r })
      const manifestLoc = this.where(manifestAbs, e.line)
      if (r.kind === 'missing') {
        missing++
        this.perFile(
          'missing',
          'fail',
          e.path,
          'missing',
          `sha256 ${e.digest}`,
          `${e.path} is listed in the manifest (line ${e.line}) but does not exist in ${rootShown}: restore it from the release, or re-seal if it was removed on purpose.`,
          manifestLoc,
        )
        this.findings.push({ path: e.path, line: e.line, problem: 'missing', expected: e.digest, actual: '-' })
      } else {
        unsafe++
        this.perFile(
          'unsafe',
          'fail',
          e.path,
          `refused (${r.kind})`,
          'a regular file inside the folder',
          `${e.path} (manifest line ${e.line}) ${r.reason}: it is not verified. Replace it with the regular file that was sealed.`,
          this.where(path.join(root, ...e.path.split('/'))) ?? manifestLoc,
        )
        this.findings.push({ path: e.path, line: e.line, problem: `refused: ${r.kind}`, expected: e.digest, actual: '-' })
      }
    })
    this.metrics.missing = missing
    this.metrics.unsafe = (this.metrics.unsafe ?? 0) + unsafe
    if (missing || unsafe) this.tampered = true

    const total = safe.reduce((n, x) => n + x.file.size, 0)
    const jobs: HashJob[] = safe.map((x) => ({ file: x.file.file, dev: x.file.dev, ino: x.file.ino, size: x.file.size }))
    const threads = threadsFor(jobs)
    const how = threads <= 1 ? 'on the main thread' : `with ${threads} threads`
    if (safe.length) this.ctx.log(`Hashing ${safe.length} files (${formatBytes(total)}) ${how}`)
    const started = this.ctx.now().getTime()
    let lastLog = started
    const outcomes = await hashFiles(jobs, {
      signal: this.ctx.signal,
      onProgress: (bytes, done) => {
        const now = this.ctx.now().getTime()
        if (now - lastLog >= 2000) {
          lastLog = now
          this.ctx.log(`Hashed ${done} of ${safe.length} files (${formatBytes(bytes)} of ${formatBytes(total)})`)
        }
      },
    })
    const ms = Math.max(1, this.ctx.now().getTime() - started)

    let matched = 0
    let matchedBytes = 0
    let mismatched = 0
    outcomes.forEach((o, i) => {
      const { entry: e, file } = safe[i]
      const loc = this.where(file.file)
      if (o.ok && o.digest === e.digest) {
        matched++
        matchedBytes += o.size
        return
      }
      if (o.ok) {
        mismatched++
        this.perFile(
          'mismatch',
          'fail',
          e.path,
          `sha256 ${o.digest}`,
          `sha256 ${e.digest}`,
          `${e.path} does not match the manifest (line ${e.line}): its SHA-256 is ${o.digest.slice(0, 16)}…, the manifest says ${e.digest.slice(0, 16)}…. It was changed after sealing: restore it from the release, or re-seal if the change is intended.`,
          loc ?? this.where(manifestAbs, e.line),
        )
        this.findings.push({ path: e.path, line: e.line, problem: 'altered', expected: e.digest, actual: o.digest })
      } else {
        mismatched++
        this.perFile(
          'mismatch',
          'fail',
          e.path,
          `unreadable (${o.code})`,
          `sha256 ${e.digest}`,
          `${e.path} (manifest line ${e.line}) could not be hashed: ${o.message}. It must be a readable regular file.`,
          loc ?? this.where(manifestAbs, e.line),
        )
        this.findings.push({ path: e.path, line: e.line, problem: `unreadable: ${o.code}`, expected: e.digest, actual: '-' })
      }
    })
    if (mismatched) this.tampered = true
    this.overflow('missing', 'fail', 'listed files are missing')
    this.overflow('mismatch', 'fail', 'files do not match the manifest')
    this.overflow('unsafe', 'fail', 'manifest entries were refused')

    Object.assign(this.metrics, {
      matched,
      mismatched,
      bytes: matchedBytes,
      hashMs: ms,
      throughputMBps: Math.round(matchedBytes / 1e3 / ms),
      threads: Math.max(1, threads),
    })
    if (matched > 0) {
      const some = `${matched} ${matched === 1 ? 'file' : 'files'} (${formatBytes(matchedBytes)}) ${matched === 1 ? 'matches' : 'match'} the manifest`
      // Only all of them is a passed check: "4 match; 1 does not" under a tick reads as fine. The
      // files that do not match fail one check each; how many did match is a fact of the details.
      if (matched === entries.length)
        this.checks.push(check('pass', 'files', `${matched} of ${entries.length} files match`, 'every listed file matches', `${some}.`))
      else
        this.facts.push(
          `${some}; ${entries.length - matched} listed ${entries.length - matched === 1 ? 'file does' : 'files do'} not (named in the checks).`,
        )
    }
    if (safe.length)
      this.facts.push(`Hashed ${formatBytes(matchedBytes)} in ${formatDuration(ms)} (${Math.round(matchedBytes / 1e3 / ms)} MB/s, ${how}).`)
  }

  private async extras(root: string, manifestAbs: string, s: Settings, manifest: Manifest): Promise<void> {
    const listed = new Set(manifest.entries.map((e) => e.path))
    const skip = new Set<string>()
    for (const p of [manifestAbs, `${manifestAbs}.sig`, s.signature ? path.resolve(this.ctx.cwd, s.signature) : undefined]) {
      const rel = p && insideRel(root, p)
      if (rel) skip.add(rel)
    }
    const found = await walkFolder(root, skip)
    const status: Status = s['extra-files'] === 'fail' ? 'fail' : 'warn'
    let extra = 0
    for (const f of found) {
      if (listed.has(f.path)) continue
      extra++
      const what = f.kind === 'file' ? 'a file' : f.kind
      this.perFile(
        'extra',
        status,
        showPath(f.path),
        `not in the manifest (${what})`,
        'listed in the manifest',
        `${showPath(f.path)} is ${what} in the evidence folder that the manifest does not list (extra-files: ${s['extra-files']}): re-seal to include it, or remove it.`,
        this.where(path.join(root, ...f.path.split('/'))),
      )
    }
    this.overflow('extra', status, 'unlisted files')
    this.metrics.extra = extra
  }

  private async ledger(s: Settings): Promise<void> {
    if (!s.ledger) return
    const file = path.resolve(this.ctx.cwd, s.ledger)
    const shown = this.shown(file)
    try {
      const v = await verifyLedger(file)
      this.metrics.ledgerRecords = v.records
      if (v.ok) {
        this.checks.push(
          check(
            'pass',
            'ledger',
            `${v.records} records, chain intact`,
            'an unbroken hash chain',
            `The ledger ${shown} holds ${v.records} records in an unbroken hash chain; its last hash is ${v.lastHash}.`,
            this.where(file),
          ),
        )
        this.facts.push(
          `**Ledger** \`${shown}\`: ${v.records} records, last hash \`${v.lastHash}\` (compare it with the one recorded in the decision bundle to detect records removed from the end).`,
        )
      } else {
        const more = v.problems.length > 1 ? ` (${v.problems.length - 1} more break${v.problems.length > 2 ? 's' : ''} after it)` : ''
        this.fail(
          'ledger',
          `chain broken at line ${v.firstBad}`,
          'an unbroken hash chain',
          `The ledger ${shown} was altered: ${v.problems[0]}${more}. Records cannot be trusted from line ${v.firstBad} on; compare with the report folder's archived copy.`,
          this.where(file, v.firstBad),
        )
        this.facts.push(`**Ledger** \`${shown}\`:\n${v.problems.map((p) => `- ${p}`).join('\n')}`)
      }
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      this.fail(
        'ledger',
        'unreadable',
        'a ledger file',
        `The ledger cannot be verified: ${err.message}. Check \`ledger\` (relative to ${this.ctx.cwd}).`,
      )
    }
  }

  outcome() {
    const details = [...this.facts]
    if (this.findings.length) {
      const rows = this.findings
        .slice(0, DETAIL_ROWS)
        .map((f) => `| \`${f.path.replace(/[|`]/g, '\\$&')}\` | ${f.line} | ${f.problem} | ${short(f.expected)} | ${short(f.actual)} |`)
      details.push(table(['file', 'manifest line', 'problem', 'expected SHA-256', 'actual SHA-256'], rows))
      if (this.findings.length > DETAIL_ROWS) details.push(`…and ${this.findings.length - DETAIL_ROWS} more (see the checks).`)
    }
    return {
      checks: this.checks,
      metrics: this.metrics,
      ...(details.length ? { details: details.join('\n\n') } : {}),
      outputs: { tampered: String(this.tampered) },
    }
  }
}

/** Detached-signature names other tools write beside a file; the gate itself checks `<manifest>.sig`. */
const OTHER_SIGNATURES = ['.asc', '.gpg', '.minisig', '.sigstore.json', '.sigstore', '.bundle', '.p7s'] as const

async function firstExisting(files: string[], fs: GateRunContext['fs']): Promise<string | undefined> {
  for (const f of files)
    if (
      await fs.lstat(f).then(
        () => true,
        () => false,
      )
    )
      return f
  return undefined
}

function short(hex: string): string {
  return hex.length === 64 ? `\`${hex.slice(0, 16)}…\`` : hex
}
