/**
 * `cutover evidence seal <dir>` writes SHA256SUMS (+ a detached signature);
 * `cutover evidence verify <dir>` runs the evidence gate on it from a terminal.
 * The HMAC key is only ever read from an environment variable (`--hmac-env VAR`), so it never
 * sits in a shell history or a process list; it is masked in everything printed.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { UsageError, defaultOf, parseFlags, usageLine, wantsHelp, type Command } from './command.js'
import { defaultContext, runGate } from '../core/gate.js'
import { makeRedactor } from '../core/redact.js'
import { EXIT_CODE } from '../core/result.js'
import { KeyError, parsePrivateKey } from '../lib/signing/signature.js'
import { formatBytes } from '../core/units.js'
import { SealError, SignatureInTheWay, sealFolder } from './seal.js'
import { evidence } from '../gates/evidence/index.js'
import { shapeOf, shownKeyValue } from '../lib/signing/key-input.js'

const SEAL_USAGE = `Usage: cutover evidence seal <dir> [--manifest SHA256SUMS] [--key private.pem | --hmac-env VAR | --drop-signature]

Writes <dir>/SHA256SUMS (sha256sum format) for every regular file below <dir>.

  --manifest <file>    the manifest's path inside <dir> (default: SHA256SUMS)
  --key <file>         sign it with this PEM private key (ECDSA P-256, Ed25519 or RSA): <manifest>.sig
  --hmac-env <VAR>     sign it with HMAC-SHA256, the key taken from the environment variable VAR
  --drop-signature     seal unsigned and remove an existing <manifest>.sig (without a key, an
                       existing signature otherwise stops the seal: it would no longer match)

Exit codes: 0 sealed, 2 nothing was written (the reason is printed).`

const VERIFY_USAGE = `Usage: cutover evidence verify <dir> [options]

Verifies the folder against its manifest, the signature and the ledger chain.

  --manifest <file>           the manifest (default: SHA256SUMS in <dir>)
  --public-key <PEM|file>     the signer's public key, for a --key signature
  --hmac-env <VAR>            the environment variable holding the HMAC key, for an --hmac-env signature
  --signature <file>          the detached signature (default: <manifest>.sig)
  --extra-files <warn|fail|ignore>  what a file below <dir> the manifest does not list counts as
  --ledger <file>             the ledger.jsonl whose chain must hold this folder's seal
  --json                      print the gate's result as JSON

Exit codes: 0 pass, 1 warn, 2 fail (or the command could not run).`

export const EVIDENCE_USAGE = `${SEAL_USAGE}\n\n${VERIFY_USAGE}`

export interface CommandIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  cwd: string
}

const processIO = (): CommandIO => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
})

export async function evidenceCommand(args: string[], io: Partial<CommandIO> = {}): Promise<number> {
  const sys: CommandIO = { ...processIO(), ...io }
  const [sub, ...rest] = args
  let secret: string | undefined
  const redact = (t: string) => (secret ? makeRedactor([secret])(t) : t)
  const err = (t: string) => sys.stderr(redact(t))
  const known = sub === 'seal' || sub === 'verify'
  if (wantsHelp(args) || sub === 'help') {
    sys.stdout((sub === 'seal' ? SEAL_USAGE : sub === 'verify' ? VERIFY_USAGE : EVIDENCE_USAGE) + '\n')
    return 0
  }
  const name = known ? `evidence ${sub}` : 'evidence'
  try {
    if (sub === 'seal') return await seal(rest, sys, (s) => (secret = s))
    if (sub === 'verify') return await verifyCommand(rest, sys, (s) => (secret = s))
    throw new UsageError(sub === undefined ? 'say seal or verify' : `unknown subcommand "${sub}": use seal or verify`)
  } catch (e) {
    if (e instanceof UsageError) err(usageLine(name, e.message))
    else err(`cutover ${name}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
}

export const evidenceSeal: Command = {
  name: 'evidence seal',
  summary: 'Write SHA256SUMS (and a signature) for an evidence folder',
  usage: SEAL_USAGE,
  run: (args) => evidenceCommand(['seal', ...args]),
}

export const evidenceVerify: Command = {
  name: 'evidence verify',
  summary: 'Verify an evidence folder against its manifest, signature and ledger',
  usage: VERIFY_USAGE,
  run: (args) => evidenceCommand(['verify', ...args]),
}

function hmacFromEnv(name: string | undefined, sys: CommandIO): string | undefined {
  if (name === undefined) return undefined
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UsageError('--hmac-env takes the NAME of an environment variable (letters, digits and _), never the key itself')
  const value = sys.env[name]?.trim()
  // A key passed here by mistake must not be echoed: only a conventional NAME is shown.
  const shown = /^[A-Z][A-Z0-9_]{0,63}$/.test(name) ? name : '(name not shown: pass the NAME of the variable that holds the key)'
  if (!value) throw new UsageError(`the environment variable ${shown} from --hmac-env is empty or not set`)
  return value
}

function oneDir(positionals: string[], verb: string): string {
  if (positionals.length !== 1) throw new UsageError(`${verb} takes exactly one folder, got ${positionals.length}`)
  return positionals[0]
}

async function seal(args: string[], sys: CommandIO, setSecret: (s: string) => void): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      manifest: { type: 'string', default: defaultOf(evidence.inputs.manifest) },
      key: { type: 'string' },
      'hmac-env': { type: 'string' },
      'drop-signature': { type: 'boolean', default: false },
    },
    true,
  )
  const given = oneDir(positionals, 'seal')
  const dir = path.resolve(sys.cwd, given)
  if (values.key && values['hmac-env']) throw new UsageError('give --key or --hmac-env, not both: the manifest has one signature file')
  if (values['drop-signature'] && (values.key || values['hmac-env']))
    throw new UsageError('--drop-signature seals without a signature; with --key or --hmac-env the old signature is replaced anyway')
  const hmacKey = hmacFromEnv(values['hmac-env'], sys)
  if (hmacKey) setSecret(hmacKey)
  const rel = (p: string) => {
    const r = path.relative(sys.cwd, p)
    return r === '' ? '.' : r.startsWith('..') ? p : r
  }
  let privateKey
  if (values.key) {
    // --key is a path; anything else given there may be the key itself, and is not echoed.
    if (shapeOf(values.key) === 'key-text')
      throw new UsageError('--key takes the path of a PEM private key file; it was given key text (not shown)')
    let pem: string
    try {
      pem = await readFile(path.resolve(sys.cwd, values.key), 'utf8')
    } catch (e) {
      throw new UsageError(
        `cannot read the key ${shownKeyValue(values.key, 'file named by --key')} (${(e as NodeJS.ErrnoException).code ?? e})`,
      )
    }
    privateKey = parsePrivateKey(pem)
  }
  try {
    const r = await sealFolder(dir, {
      manifest: values.manifest,
      privateKey,
      hmacKey,
      label: given,
      dropSignature: values['drop-signature'],
      log: (l) => sys.stderr(l + '\n'),
    })
    sys.stdout(
      `Sealed ${r.files} files (${formatBytes(r.bytes)}) in ${rel(dir)}: wrote ${rel(r.manifestPath)}` +
        (r.signaturePath ? ` and ${rel(r.signaturePath)} (${r.signedWith}${r.signedWith === 'HMAC-SHA256' ? ', hex' : ', base64'})` : '') +
        (r.droppedSignature ? `, and removed the old ${rel(r.droppedSignature)} (--drop-signature)` : '') +
        '\n',
    )
    return 0
  } catch (e) {
    if (e instanceof SignatureInTheWay) {
      sys.stderr(
        `cutover evidence seal: ${rel(e.signaturePath)} lies beside the manifest, and no key was given: sealing would leave a signature that no longer matches, so nothing was written. Re-sign with --key <private.pem> or --hmac-env <VAR>, or pass --drop-signature to seal unsigned and remove it.\n`,
      )
      return 2
    }
    if (e instanceof SealError || e instanceof KeyError) {
      sys.stderr(`cutover evidence seal: ${e.message}.\n`)
      return 2
    }
    throw e
  }
}

const MARK = { pass: '✓', warn: '!', fail: '✗' } as const

const TAMPERED: Record<string, string> = {
  true: 'Tampered: yes: what was sealed has changed or cannot be trusted (the ✗ lines above say where).',
  false: 'Tampered: no: every listed file is as it was sealed.',
  unknown: 'Tampered: not known: the folder could not be checked against its seal.',
}

async function verifyCommand(args: string[], sys: CommandIO, setSecret: (s: string) => void): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      manifest: { type: 'string' },
      'public-key': { type: 'string' },
      'hmac-env': { type: 'string' },
      signature: { type: 'string' },
      'extra-files': { type: 'string' },
      ledger: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  )
  const dir = oneDir(positionals, 'verify')
  if (values['public-key'] && values['hmac-env']) throw new UsageError('give --public-key or --hmac-env, not both')
  const hmacKey = hmacFromEnv(values['hmac-env'], sys)
  if (hmacKey) setSecret(hmacKey)
  const raw: Record<string, string | undefined> = {
    path: dir,
    manifest: values.manifest,
    'extra-files': values['extra-files'],
    signature: values.signature,
    'public-key': values['public-key'],
    'hmac-key': hmacKey,
    ledger: values.ledger,
  }
  const ctx = defaultContext({ log: (l) => sys.stderr(l + '\n'), cwd: sys.cwd, workspace: sys.cwd, env: sys.env })
  const result = makeRedactor(hmacKey ? [hmacKey] : [])(await runGate(evidence, raw, ctx, { id: 'evidence' }))
  if (values.json) {
    const { inputError: _i, ...rest } = result
    sys.stdout(JSON.stringify(rest, null, 2) + '\n')
  } else {
    for (const c of result.checks) sys.stdout(`${MARK[c.status]} ${c.name}: ${c.message}\n`)
    // The action's `tampered` output, said in words: `tampered=` is GitHub's output syntax, not a sentence.
    sys.stdout(`${result.summary}\n${TAMPERED[result.outputs.tampered] ?? TAMPERED.unknown}\n`)
  }
  // The gate names its inputs; here they are flags.
  const unchecked = result.checks.find((c) => c.name === 'signature' && (c.observed === 'not checked' || c.observed === 'no key'))
  if (unchecked) {
    sys.stderr(
      `cutover evidence verify: ${unchecked.location?.path ?? 'the signature'} was not checked: pass --public-key <PEM or file> (the signer's public key) or --hmac-env <VAR> (the variable holding the HMAC key); an empty value counts as not given.\n`,
    )
  }
  return EXIT_CODE[result.status]
}
