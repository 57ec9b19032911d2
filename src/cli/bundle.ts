/**
 * `cutover bundle verify <file>`: recompute the SHA-256 of every report the bundle lists, from
 * the files next to it, and check its signature. Exits 0 when all holds, 2 naming each problem.
 */
import { parseArgs } from 'node:util'
import { KeyError, publicKeyFrom, readPem, type VerifyMaterial } from '../gates/decide/sign.js'
import { verifyBundle } from '../gates/decide/verify.js'
import { LayoutError, writeSeedLayout } from './evidence-layout.js'

export const BUNDLE_USAGE = `Usage: cutover bundle verify <file> [options]
       cutover bundle export <file> --seed-layout <dir>

  --public-key <pem>   the public key (PEM file or inline; a certificate or the private key also work)
                       for a bundle signed with Ed25519, ECDSA P-256 or RSA
  --hmac-env <VAR>     for a bundle signed with HMAC-SHA256: the environment variable holding the key

  --seed-layout <dir>  export: write the runbook's evidence folder <dir>/prod_cutover_<timestamp>/
                       (one file per gate, approval_record.json, cutover_summary.json with hashes)

Exit codes: 0 the bundle and every report it lists are as decide wrote them (or exported), 2 otherwise.`

function fail(message: string): number {
  process.stderr.write(`cutover bundle: ${message}\n`)
  return 2
}

export async function bundleCommand(args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      options: {
        'public-key': { type: 'string' },
        'hmac-env': { type: 'string' },
        'seed-layout': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    })
  } catch (err) {
    return fail(`${(err as Error).message}; see \`cutover bundle --help\``)
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(BUNDLE_USAGE + '\n')
    return 0
  }
  const [sub, file, ...extra] = positionals
  if (sub === 'export') {
    if (!file) return fail('name the bundle to export: `cutover bundle export <file> --seed-layout <dir>`')
    if (extra.length) return fail(`export takes one bundle, not also ${extra.join(' ')}`)
    const root = values['seed-layout']?.trim()
    if (!root) return fail('say where: `--seed-layout <dir>` (the runbook keeps them in artifacts)')
    try {
      const out = await writeSeedLayout(file, root)
      process.stdout.write(`Wrote the evidence folder ${out}.\n`)
      return 0
    } catch (err) {
      if (err instanceof LayoutError) return fail(`nothing was exported: ${err.message}`)
      throw err
    }
  }
  if (sub !== 'verify')
    return fail(
      sub === undefined
        ? 'say what to do: `cutover bundle verify <file>`'
        : `unknown subcommand "${sub}"; the ones there are: verify, export`,
    )
  if (!file) return fail('name the bundle to verify: `cutover bundle verify <file>`')
  if (extra.length) return fail(`verify takes one bundle, not also ${extra.join(' ')}`)

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
