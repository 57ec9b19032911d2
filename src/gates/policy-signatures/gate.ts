/**
 * policy-signatures: every policy file matched by `files` must carry, beside it, a valid signature
 * by a trusted key: `<file>.sig`, `<file>.sigstore.json` or `<file>.minisig`, the format recognised
 * from the signature's content (SSHSIG, minisign, Sigstore bundle, cosign, raw PEM-key signatures;
 * see src/gates/policy-signatures/ and src/lib/signing/). Trust comes from `public-keys` (PEM and minisign keys) and `allowed-signers`
 * (OpenSSH, with principals, namespaces and validity windows, evaluated at ctx.now()).
 *
 * Fail closed: a glob matching nothing, an unsigned file, a signature that does not verify, an
 * untrusted or out-of-window signer, a wrong namespace or an unknown format each fail, one check
 * per file with its location for an annotation. Signature files are never policies themselves.
 */
import path from 'node:path'
import { defineGate, type FilePort, type GateRunContext } from '../../core/gate.js'
import { InputError } from '../../core/inputs.js'
import { check, type Check, type Status } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { parseAllowedSigners, type AllowedSigner } from './allowed-signers.js'
import { SignatureFormatError, printable, type FailReason, type Verdict } from '../../lib/signing/common.js'
import { shapeOf, shapeOfLine, shownKeyValue } from '../../lib/signing/key-input.js'
import { emptyKeys, mergeKeys, scanKeys } from './keys.js'
import { verifySignature, type Trust } from './verify.js'
import { NotRegularFileError, TooLargeError, readRegularFileSync } from '../../lib/files.js'
import { globEntries, type GlobFs } from '../../lib/glob.js'
import { cell, table } from '../../lib/markdown.js'
import { policySignaturesInputs, policySignaturesAction } from './spec.js'

export { policySignaturesInputs } from './spec.js'

/** Where a file's signature is looked for, in this order. */
export const SIGNATURE_SUFFIXES = ['.sig', '.sigstore.json', '.minisig'] as const
/** A signature file is a few KiB at most; anything larger is not one. */
export const MAX_SIGNATURE_BYTES = 1024 * 1024
/** Policies are small text files; a larger file is refused rather than read into memory. */
export const MAX_POLICY_BYTES = 64 * 1024 * 1024
/** Files verified between two turns of the event loop. */
const YIELD_EVERY = 64
/** Rows of the details table; the JSON report keeps every check. */
const MAX_TABLE_ROWS = 300

// ---------------------------------------------------------------------------------------------
// The gate

interface FileResult {
  /** Path relative to the workspace (the check name and annotation path). */
  rel: string
  status: Status
  /** The verdict that decided it (the passing one, or the first failure). */
  verdict: Verdict
  /** Signature files found beside it (names only). */
  signatures: string[]
  /** A second sentence: other signatures beside a verified file that do not verify. */
  extra?: string
}

export const policySignatures = defineGate({
  name: 'policy-signatures',
  category: 'Security',
  criteria: { en: 'All policies signed', tr: 'Tüm politikalar imzalı' },
  ...policySignaturesAction,
  inputs: policySignaturesInputs,
  async run(s, ctx) {
    if (!s['public-keys'] && !s['allowed-signers']) {
      throw new InputError([
        'give `public-keys` (PEM or minisign public keys), `allowed-signers` (an OpenSSH allowed_signers file), or both: without a trusted key no signature can be verified',
      ])
    }
    const started = ctx.now().getTime()
    const checks: Check[] = []
    const rel = (abs: string) => path.relative(ctx.workspace, abs).split(path.sep).join('/') || '.'
    const trustFiles = new Set<string>()

    // Trust: inline keys, key files, allowed_signers. A broken trust source is a fail of its own.
    const keys = mergeKeys(emptyKeys(), s['public-keys']?.inline ?? emptyKeys())
    for (const p of s['public-keys']?.paths ?? []) {
      const abs = path.resolve(ctx.cwd, p)
      trustFiles.add(abs)
      // A line not shaped like a path may be a mistyped secret: it is named only once it is a file.
      const named = shapeOfLine(p) === 'path'
      const missing = named ? rel(abs) : shownKeyValue(p, 'a `public-keys` line')
      const loaded = await loadTrustFile(
        ctx.fs,
        abs,
        { found: rel(abs), missing },
        (text) => scanKeys(text, rel(abs), { paths: false }).keys,
      )
      if ('problem' in loaded) {
        const where = named || loaded.found ? { path: rel(abs) } : undefined
        checks.push(check('fail', 'public-keys', loaded.observed, 'a readable PEM or minisign public key', loaded.problem, where))
      } else if (loaded.value.pem.length + loaded.value.minisign.length === 0) {
        checks.push(
          check(
            'fail',
            'public-keys',
            'no key',
            'a PEM or minisign public key',
            `${rel(abs)} (from \`public-keys\`) holds no PEM or minisign public key. Give the key file or paste the key inline.`,
            { path: rel(abs) },
          ),
        )
      } else mergeKeys(keys, loaded.value)
    }
    let signers: AllowedSigner[] | undefined
    if (s['allowed-signers']) {
      const value = s['allowed-signers']
      const abs = path.resolve(ctx.cwd, value)
      trustFiles.add(abs)
      if (shapeOf(value) === 'key-text') {
        checks.push(
          check(
            'fail',
            'allowed-signers',
            'key text, not a path',
            'the path of an allowed_signers file',
            '`allowed-signers` holds key text (not shown), not a path: commit an allowed_signers file (`principals keytype base64-key` per line, ssh-keygen(1) "ALLOWED SIGNERS") and give its path.',
          ),
        )
      } else {
        const named = shapeOf(value) === 'path'
        const missing = named ? rel(abs) : shownKeyValue(value, '`allowed-signers`')
        const loaded = await loadTrustFile(ctx.fs, abs, { found: rel(abs), missing }, (text) => parseAllowedSigners(text, rel(abs)))
        if ('problem' in loaded) {
          checks.push(
            check(
              'fail',
              'allowed-signers',
              loaded.observed,
              'a valid OpenSSH allowed_signers file',
              loaded.problem,
              named || loaded.found ? { path: rel(abs) } : undefined,
            ),
          )
        } else signers = loaded.value
      }
    }
    ctx.log(
      `trust: ${keys.pem.length} PEM key${keys.pem.length === 1 ? '' : 's'}, ${keys.minisign.length} minisign key${keys.minisign.length === 1 ? '' : 's'}, ` +
        (signers ? `${signers.length} allowed signer${signers.length === 1 ? '' : 's'}` : 'no allowed_signers') +
        `; SSH namespace "${s.namespace}"`,
    )

    // Files: every include glob must yield at least one policy file.
    if (typeof ctx.fs.glob !== 'function' || typeof path.matchesGlob !== 'function') {
      throw new Error(`this Node.js (${process.version}) has no fs.glob; run the gate on Node 22.5 or later (the action runs on Node 24)`)
    }
    const files = new Set<string>()
    let setAside = 0
    for (const pattern of s.files.include) {
      const found = await expand(pattern, s.files.exclude, ctx.cwd, ctx.fs)
      const policies = found.filter((f) => !isSignatureFile(f) && !trustFiles.has(f))
      setAside += found.length - policies.length
      if (policies.length === 0) {
        const only =
          found.length > 0
            ? ` (it matched ${found.length} signature or key file${found.length === 1 ? '' : 's'}, which are not policies)`
            : ''
        checks.push(
          check(
            'fail',
            `files: ${pattern}`,
            '0 policy files',
            'at least 1 policy file',
            `The glob \`${pattern}\` matched no policy files under ${rel(ctx.cwd) === '.' ? 'the workspace' : rel(ctx.cwd)}${only}. Fix the pattern, or remove it if those policies are gone.`,
          ),
        )
      }
      for (const f of policies) files.add(f)
    }
    const sorted = [...files].sort()
    ctx.log(
      `files: ${sorted.length} policy file${sorted.length === 1 ? '' : 's'} from ${s.files.include.length} glob${s.files.include.length === 1 ? '' : 's'}${setAside ? ` (${setAside} signature/key files set aside)` : ''}`,
    )

    const trust: Trust = { keys, ...(signers ? { signers } : {}), namespace: s.namespace, now: ctx.now() }
    const results = await verifyAll(sorted, trust, rel, ctx)
    for (const r of results) checks.push(fileCheck(r, s.namespace))

    const verified = results.filter((r) => r.status !== 'fail').length
    const elapsed = ctx.now().getTime() - started
    ctx.log(`verified ${verified} of ${results.length} policy file${results.length === 1 ? '' : 's'} in ${formatDuration(elapsed)}`)
    const metrics: Record<string, number> = {
      files: results.length,
      verified,
      failed: results.length - verified,
      warned: results.filter((r) => r.status === 'warn').length,
    }
    for (const r of results) if (r.status === 'fail' && r.verdict.reason) metrics[r.verdict.reason] = (metrics[r.verdict.reason] ?? 0) + 1
    return { checks, metrics, details: detailsTable(results) }
  },
})

// ---------------------------------------------------------------------------------------------
// Files

export function isSignatureFile(file: string): boolean {
  return SIGNATURE_SUFFIXES.some((suffix) => file.endsWith(suffix))
}

/** Regular files (or links to them) matching `pattern` under `cwd`, absolute, minus exclusions. */
async function expand(pattern: string, exclude: string[], cwd: string, fs?: GlobFs): Promise<string[]> {
  const out: string[] = []
  for (const { abs, kind } of await globEntries(pattern, cwd, fs)) {
    if (kind !== 'file') continue
    const relative = path.relative(cwd, abs).split(path.sep).join('/')
    if (exclude.some((x) => path.matchesGlob(relative, x))) continue
    out.push(abs)
  }
  return out
}

/** `found`: the path names an existing entry, so it is a path and may be shown. */
type Loaded<T> = { value: T } | { problem: string; observed: string; found: boolean }

/** `names.missing` is how a path that names nothing is shown: it may not have been a path at all. */
async function loadTrustFile<T>(
  fs: FilePort,
  abs: string,
  names: { found: string; missing: string },
  parse: (text: string) => T,
): Promise<Loaded<T>> {
  const shown = names.found
  let text: string
  try {
    const st = await fs.stat(abs)
    if (!st.isFile())
      return { observed: 'not a file', found: true, problem: `${shown} is not a file. Give the path of the key or allowed_signers file.` }
    if (st.size > MAX_SIGNATURE_BYTES)
      return {
        observed: `${st.size} bytes`,
        found: true,
        problem: `${shown} is ${st.size} bytes, too large for a key or allowed_signers file (at most 1 MiB).`,
      }
    text = await fs.readFile(abs, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return {
      observed: code === 'ENOENT' ? 'missing' : 'unreadable',
      found: false,
      problem:
        code === 'ENOENT'
          ? `${names.missing} does not exist. Check the path (relative to the workspace) or commit the file.`
          : `${names.missing} could not be read (${code ?? 'error'}).`,
    }
  }
  try {
    return { value: parse(text) }
  } catch (err) {
    if (!(err instanceof SignatureFormatError)) throw err
    return {
      observed: 'not valid',
      found: true,
      problem: `${err.message}. Fix the file so that it parses (ssh-keygen(1) "ALLOWED SIGNERS" and openssl pkey -pubout describe the forms).`,
    }
  }
}

/**
 * Verifies files one after another. Policies and signatures are small, so the reads are
 * synchronous: an async open/stat/read/close costs more than the read itself, and verification is
 * CPU-bound anyway. Every YIELD_EVERY files the event loop gets a turn (concurrent gates, Ctrl-C).
 * Each directory is listed once to find the signatures beside its files.
 */
async function verifyAll(files: string[], trust: Trust, rel: (abs: string) => string, ctx: GateRunContext): Promise<FileResult[]> {
  const listings = new Map<string, Set<string>>()
  const list = (dir: string) => {
    let names = listings.get(dir)
    if (!names) {
      try {
        names = new Set(ctx.fs.readdirSync(dir))
      } catch {
        names = new Set()
      }
      listings.set(dir, names)
    }
    return names
  }
  const results: FileResult[] = []
  for (let i = 0; i < files.length; i++) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve))
    const file = files[i]
    if (ctx.signal?.aborted) {
      results.push({
        rel: rel(file),
        status: 'fail',
        signatures: [],
        verdict: { ok: false, format: '-', reason: 'unreadable', text: 'Not verified: the run was cancelled.' },
      })
      continue
    }
    try {
      results.push(verifyFile(ctx.fs, file, rel(file), trust, list))
    } catch (err) {
      results.push({
        rel: rel(file),
        status: 'fail',
        signatures: [],
        verdict: {
          ok: false,
          format: '-',
          reason: 'unreadable',
          text: `It could not be verified: ${printable(err instanceof Error ? err.message : String(err), 160)}.`,
        },
      })
    }
  }
  return results
}

/** The file's bytes, or its size when it is over `cap` (then it is not read). */
function readCapped(fs: FilePort, file: string, cap: number): Buffer | { tooLarge: number } {
  try {
    return readRegularFileSync(file, cap, fs)
  } catch (err) {
    if (err instanceof TooLargeError) return { tooLarge: err.size }
    throw err
  }
}

function errorText(err: unknown): string {
  // A folder is named by the code a read of it gives; a pipe or a device was never opened for reading.
  if (err instanceof NotRegularFileError) return err.kind === 'a folder' ? 'EISDIR' : `it is ${err.kind}`
  const code = (err as NodeJS.ErrnoException).code
  return code ?? printable(err instanceof Error ? err.message : String(err), 120)
}

function verifyFile(fs: FilePort, file: string, shown: string, trust: Trust, list: (dir: string) => Set<string>): FileResult {
  const dir = path.dirname(file)
  const base = path.basename(file)
  const names = list(dir)
  const signatures = SIGNATURE_SUFFIXES.map((suffix) => base + suffix).filter((n) => names.has(n))
  const fail = (reason: FailReason, text: string, format = '-'): FileResult => ({
    rel: shown,
    status: 'fail',
    signatures,
    verdict: { ok: false, format, reason, text },
  })
  if (signatures.length === 0) {
    return fail('unsigned', `No signature beside it: none of ${SIGNATURE_SUFFIXES.map((x) => base + x).join(', ')} exists.`, 'none')
  }
  let message: Buffer
  try {
    const m = readCapped(fs, file, MAX_POLICY_BYTES)
    if (!Buffer.isBuffer(m))
      return fail('unreadable', `It is ${m.tooLarge} bytes, more than the ${MAX_POLICY_BYTES / 1024 / 1024} MiB a policy file may be.`)
    message = m
  } catch (err) {
    return fail('unreadable', `It could not be read (${errorText(err)}).`)
  }
  const verdicts: { name: string; verdict: Verdict }[] = []
  for (const name of signatures) {
    let sig: Buffer
    try {
      const b = readCapped(fs, path.join(dir, name), MAX_SIGNATURE_BYTES)
      if (!Buffer.isBuffer(b)) {
        verdicts.push({
          name,
          verdict: {
            ok: false,
            format: 'unknown',
            reason: 'unknown-format',
            text: `${name} is ${b.tooLarge} bytes, too large to be a signature.`,
          },
        })
        continue
      }
      sig = b
    } catch (err) {
      verdicts.push({
        name,
        verdict: { ok: false, format: '-', reason: 'unreadable', text: `${name} could not be read (${errorText(err)}).` },
      })
      continue
    }
    if (/^\s*$/.test(sig.toString('latin1'))) {
      // An empty file beside the policy is no signature at all, whatever format its name suggests.
      verdicts.push({
        name,
        verdict: {
          ok: false,
          format: 'empty',
          reason: 'unsigned',
          text: `${name} is empty (${sig.length === 0 ? '0 bytes' : 'only whitespace'}): it holds no signature.`,
        },
      })
      continue
    }
    verdicts.push({ name, verdict: verifySignature(sig, message, trust) })
  }
  const good = verdicts.find((v) => v.verdict.ok)
  const bad = verdicts.filter((v) => !v.verdict.ok)
  if (good) {
    const extra = bad.length
      ? `But ${bad.map((b) => `${b.name} does not verify (${b.verdict.reason}): ${b.verdict.text}`).join(' ')} Remove or re-make the stale signature.`
      : undefined
    return {
      rel: shown,
      status: bad.length ? 'warn' : 'pass',
      signatures,
      verdict: { ...good.verdict, text: `${good.name}: ${good.verdict.text}` },
      ...(extra ? { extra } : {}),
    }
  }
  const first = bad[0]
  const others = bad.slice(1).map((b) => ` ${b.name}: ${b.verdict.text}`)
  return {
    rel: shown,
    status: 'fail',
    signatures,
    verdict: { ...first.verdict, text: `${first.name}: ${first.verdict.text}${others.join('')}` },
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const EXPECTED = 'a valid signature by a trusted key beside the file (.sig, .sigstore.json or .minisig)'

function nextStep(v: Verdict, file: string, namespace: string): string {
  if (v.advice === 'keyless-bundle')
    return `Sign it with a key instead (\`cosign sign-blob --key cosign.key --bundle ${file}.sigstore.json ${file}\`) and add cosign.pub to \`public-keys\`, or commit an SSH or minisign signature beside it.`
  if (v.advice === 'security-key')
    return `Sign it with a key that is not on a security key (\`ssh-keygen -Y sign -n ${namespace} -f <ed25519 or ecdsa key> ${file}\`) and list that key in \`allowed-signers\`.`
  switch (v.reason) {
    case 'unsigned':
      return `Sign it (for example \`ssh-keygen -Y sign -n ${namespace} -f <key> ${file}\` or \`minisign -Sm ${file}\`) and commit the signature beside it.`
    case 'invalid':
      return 'If the change is intended, have a trusted signer review and re-sign the file; otherwise revert it.'
    case 'untrusted':
      return "Re-sign it with a trusted key, or add the signer's public key to `public-keys` or `allowed-signers` if the signer should be trusted."
    case 'namespace':
      return `Re-sign it with \`-n ${namespace}\` (or a namespace allowed_signers permits), or set \`namespace\` to the one your team signs with.`
    case 'validity':
      return "Re-sign it with a key that is valid now, or correct the signer's valid-after/valid-before in allowed_signers."
    case 'unknown-format':
      return 'Replace it with a supported signature: SSHSIG (ssh-keygen -Y sign), minisign, a Sigstore bundle, a cosign blob signature, or a raw openssl signature.'
    case 'unsupported':
      return 'Re-sign it with a supported algorithm: Ed25519, ECDSA P-256/384/521 or RSA of 2048 bits or more, over SHA-256, SHA-384 or SHA-512.'
    default:
      return 'Check that the runner can read the file and its signature.'
  }
}

function fileCheck(r: FileResult, namespace: string): Check {
  const v = r.verdict
  const who = [v.key ? `key ${v.key}` : '', v.signer ? printable(v.signer, 60) : ''].filter(Boolean).join(', ')
  if (r.status !== 'fail') {
    const observed = `${v.format}${who ? `; ${who}` : ''}${r.status === 'warn' ? '; another signature beside it does not verify' : ''}`
    return check(r.status, r.rel, observed, EXPECTED, `${r.rel} is signed. ${v.text}${r.extra ? ` ${r.extra}` : ''}`, { path: r.rel })
  }
  const observed = `${v.reason ?? 'failed'}: ${v.format}${who ? `; ${who}` : ''}`
  const lead = v.reason === 'unsigned' ? `${r.rel} is not signed.` : `${r.rel} is not validly signed.`
  return check('fail', r.rel, observed, EXPECTED, `${lead} ${v.text} ${nextStep(v, r.rel, namespace)}`, { path: r.rel })
}

function detailsTable(results: FileResult[]): string {
  if (results.length === 0) return ''
  const order = [...results].sort((a, b) => rank(b.status) - rank(a.status) || a.rel.localeCompare(b.rel))
  const rows = order.slice(0, MAX_TABLE_ROWS).map((r) => {
    const v = r.verdict
    return `| ${cell(r.rel)} | ${cell(v.format)} | ${v.key ? `\`${v.key}\`` : '-'} | ${cell(v.signer ? printable(v.signer, 60) : '-')} | ${r.status === 'fail' ? `fail (${v.reason})` : r.status} |`
  })
  const more =
    results.length > MAX_TABLE_ROWS ? [``, `… and ${results.length - MAX_TABLE_ROWS} more files (every file is in the JSON report).`] : []
  return table(['policy file', 'signature format', 'key fingerprint', 'signer', 'verdict'], [...rows, ...more])
}

const rank = (s: Status) => (s === 'fail' ? 2 : s === 'warn' ? 1 : 0)
