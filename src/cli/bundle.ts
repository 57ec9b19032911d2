/**
 * `cutover bundle verify <file>`: recompute the SHA-256 of every report the bundle lists, from
 * the files next to it, and check its signature. Exits 0 when all holds, 2 naming each problem.
 */
import { UsageError, parseFlags, usageLine, wantsHelp, type Command } from './command.js'
import { KeyError, publicKeyFrom, readPem, type VerifyMaterial } from '../gates/decide/sign.js'
import { verifyBundle } from '../gates/decide/verify.js'
import { LayoutError, writeSeedLayout } from './evidence-layout.js'

export const BUNDLE_USAGE = `Usage: cutover bundle verify <file> [options]

  --public-key <pem>   the public key (PEM file or inline; a certificate or the private key also work)
                       for a bundle signed with Ed25519, ECDSA P-256 or RSA
  --hmac-env <VAR>     for a bundle signed with HMAC-SHA256: the environment variable holding the key

Exit codes: 0 the bundle and every report it lists are as decide wrote them, 2 otherwise.`

function fail(message: string): number {
  process.stderr.write(`cutover bundle: ${message}\n`)
  return 2
}

export async function bundleCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (wantsHelp(args)) {
    process.stdout.write(BUNDLE_USAGE + '\n')
    return 0
  }
  if (sub === 'export') return bundleExportCommand(rest)
  if (sub !== 'verify') {
    const why =
      sub === undefined
        ? 'say what to do: `cutover bundle verify <file>`'
        : `unknown subcommand "${sub}"; the ones there are: verify, export`
    process.stderr.write(usageLine('bundle', why))
    return 2
  }
  let parsed
  try {
    parsed = parseFlags(rest, { 'public-key': { type: 'string' }, 'hmac-env': { type: 'string' } }, true)
    if (parsed.positionals.length === 0) throw new UsageError('name the bundle to verify: `cutover bundle verify <file>`')
    if (parsed.positionals.length > 1) throw new UsageError(`verify takes one bundle, not also ${parsed.positionals.slice(1).join(' ')}`)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(usageLine('bundle verify', err.message))
    return 2
  }
  const { values, positionals } = parsed
  const file = positionals[0]

  const material: VerifyMaterial = {}
  try {
    if (values['public-key'] !== undefined) {
      const { pem, label } = await readPem(values['public-key'], process.cwd(), 'public-key')
      material.publicKey = publicKeyFrom(pem, label)
      material.publicKeyLabel = label
    }
    if (values['hmac-env'] !== undefined) {
      const name = values['hmac-env']
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return fail(`--hmac-env takes the name of an environment variable, not "${name}"`)
      const key = process.env[name]
      if (!key) return fail(`--hmac-env names ${name}, but that environment variable is not set`)
      material.hmacKey = key.trim()
    }
  } catch (err) {
    if (err instanceof KeyError) return fail(err.message)
    throw err
  }

  const v = await verifyBundle(file, material)
  for (const p of v.passed) process.stdout.write(`✓ ${p}\n`)
  for (const p of v.problems) process.stdout.write(`✗ ${p}\n`)
  const b = v.bundle
  const what = b
    ? `${b.decision} decision${b.subject?.sha ? ` for commit ${b.subject.sha.slice(0, 12)}` : ''} at ${b.decidedAt}`
    : 'the bundle'
  if (v.problems.length === 0) {
    process.stdout.write(`Bundle valid: ${what}, ${b?.reports.length ?? 0} report${b?.reports.length === 1 ? '' : 's'} unchanged.\n`)
    return 0
  }
  process.stdout.write(`Bundle NOT valid: ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'} with ${what}.\n`)
  return 2
}

export const bundleVerify: Command = {
  name: 'bundle verify',
  summary: "Check a bundle's signature and every report it lists",
  usage: BUNDLE_USAGE,
  run: (args) => bundleCommand(['verify', ...args]),
}

export const BUNDLE_EXPORT_USAGE = `Usage: cutover bundle export <file> --seed-layout <dir>

Writes the runbook's evidence folder from a decision bundle: <dir>/prod_cutover_<YYYYMMDD_HHMMSS>/
with one report per gate, approval_record.json, the bundle, its in-toto envelope, and
cutover_summary.json listing every file with its SHA-256. Refuses a report that changed since the
decision, and a folder that already exists (nothing is written then).

  --seed-layout <dir>   where the evidence folder goes (the runbook keeps them in artifacts)`

async function bundleExportCommand(args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseFlags(args, { 'seed-layout': { type: 'string' } }, true)
    if (parsed.positionals.length === 0)
      throw new UsageError('name the bundle to export: `cutover bundle export <file> --seed-layout <dir>`')
    if (parsed.positionals.length > 1) throw new UsageError(`export takes one bundle, not also ${parsed.positionals.slice(1).join(' ')}`)
    if (!parsed.values['seed-layout']?.trim())
      throw new UsageError('say where: `--seed-layout <dir>` (the runbook keeps them in artifacts)')
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(usageLine('bundle export', err.message))
    return 2
  }
  try {
    const out = await writeSeedLayout(parsed.positionals[0]!, parsed.values['seed-layout']!.trim())
    process.stdout.write(`Wrote the evidence folder ${out}.\n`)
    return 0
  } catch (err) {
    if (err instanceof LayoutError) return fail(`nothing was exported: ${err.message}`)
    throw err
  }
}

export const bundleExport: Command = {
  name: 'bundle export',
  summary: "Write the runbook's evidence folder (prod_cutover_<time>/) from a bundle",
  usage: BUNDLE_EXPORT_USAGE,
  run: (args) => bundleExportCommand(args),
}
