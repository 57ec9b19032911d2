/**
 * `cutover bundle verify`: is this bundle what decide wrote, and is every report it lists still
 * the file decide judged? Each report's SHA-256 is recomputed from the file next to the bundle,
 * and the signature is checked over the canonical JSON of the bundle without its signature.
 */
import path from 'node:path'
import * as z from 'zod'
import { BUNDLE_SCHEMA_VERSION, serializeBundle, signedBytes, type Bundle } from './bundle.js'
import { errorCode, fsProblem } from '../../lib/errno.js'
import { chainHead, checkPinnedLedger, linkLedgers } from './ledger.js'
import { NotRegularFileError, TooLargeError, readRegularFile } from '../../core/files.js'
import { MAX_REPORT_BYTES, mapLimit, sha256Hex } from './reports.js'
import { ALG_NAMES, verifySignature, type VerifyMaterial } from './sign.js'
import { PREDICATE_TYPE, verifyEnvelope } from './attest.js'

/** A bundle is KiBs to a few MiB; anything larger is not one, and is not read. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024

export interface BundleVerification {
  /** Each problem in a sentence; empty means valid. */
  problems: string[]
  /** What was checked and held, for the printout. */
  passed: string[]
  bundle?: Bundle
}

const bundleSchema = z.object({
  // What makes a bundle a bundle first, so a gate report is named for what it lacks.
  decision: z.enum(['GO', 'NO-GO']),
  schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
  status: z.enum(['pass', 'warn', 'fail']),
  decidedAt: z.string(),
  reports: z.array(z.object({ id: z.string(), file: z.string().min(1), sha256: z.string() }).loose()),
  // The signature is the one part the signature cannot cover: it is read strictly, so no byte of it changes unnoticed.
  signature: z
    .strictObject({ alg: z.enum(Object.keys(ALG_NAMES) as [keyof typeof ALG_NAMES]), keyId: z.string().optional(), value: z.string() })
    .refine((s) => (s.alg === 'hmac-sha256') === (s.keyId === undefined), {
      message: 'a public-key signature names its keyId, an HMAC one does not',
    })
    .optional(),
  ledgers: z.array(
    z.strictObject({
      file: z.string().min(1),
      lastHash: z.string().regex(/^[0-9a-f]{64}$/),
      records: z.number().int().min(1),
      prev: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    }),
  ),
  chainHead: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  approval: z
    .strictObject({
      approvedDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
      promotedDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
      preflight: z.string(),
    })
    .optional(),
  attestation: z.strictObject({ file: z.string().min(1), predicateType: z.literal(PREDICATE_TYPE) }).optional(),
})

export async function verifyBundle(file: string, material: VerifyMaterial): Promise<BundleVerification> {
  const out: BundleVerification = { problems: [], passed: [] }
  let bytes: Buffer
  try {
    bytes = await readRegularFile(file, MAX_BUNDLE_BYTES)
  } catch (err) {
    out.problems.push(
      err instanceof NotRegularFileError
        ? `${file} is ${err.kind}, not a bundle file`
        : err instanceof TooLargeError
          ? `${file} is ${err.size} bytes, larger than any bundle decide writes (${MAX_BUNDLE_BYTES}): it is not a bundle`
          : `${file} ${fsProblem(err)}`,
    )
    return out
  }
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    out.problems.push(`${file} is not valid JSON (${(err as Error).message.split('\n')[0].slice(0, 120)}): it was damaged or edited`)
    return out
  }
  const parsed = bundleSchema.safeParse(value)
  if (!parsed.success) {
    const i = parsed.error.issues[0]
    out.problems.push(`${file} is not a cutover bundle: \`${i.path.map(String).join('.') || 'top level'}\`: ${i.message}`)
    return out
  }
  const bundle = value as Bundle
  out.bundle = bundle
  // The signature covers the content, not the layout: a byte changed in whitespace is caught here.
  if (!serializeBundle(bundle).equals(bytes))
    out.problems.push(
      `${file} is not byte for byte as decide writes it: it was re-formatted or edited (its \`digest\` output no longer matches either)`,
    )

  // Every listed report, hashed again from disk.
  const dir = path.dirname(file)
  const hashed = await mapLimit(bundle.reports, 16, async (r) => {
    try {
      return { now: sha256Hex(await readRegularFile(path.resolve(dir, r.file), MAX_REPORT_BYTES)) }
    } catch (err) {
      return { err }
    }
  })
  let same = 0
  bundle.reports.forEach((r, i) => {
    const h = hashed[i]
    if ('err' in h) {
      const why =
        errorCode(h.err) === 'ENOENT'
          ? 'is missing'
          : h.err instanceof NotRegularFileError
            ? `is ${h.err.kind}, not a report file`
            : h.err instanceof TooLargeError
              ? 'is larger than any report'
              : fsProblem(h.err)
      out.problems.push(`report \`${r.id}\` (${r.file}) ${why}: the bundle lists it with SHA-256 ${r.sha256}`)
    } else if (h.now !== r.sha256) {
      out.problems.push(
        `report \`${r.id}\` (${r.file}) changed after the decision: its SHA-256 is now ${h.now}, the bundle lists ${r.sha256}`,
      )
    } else same++
  })
  // Only all of them is a pass: "3 of 4 match" under a tick reads as fine; the changed one is a problem above.
  if (same > 0 && same === bundle.reports.length)
    out.passed.push(
      `${same} of ${bundle.reports.length} listed report${bundle.reports.length === 1 ? '' : 's'} ${same === 1 ? 'matches' : 'match'} the SHA-256 the bundle lists`,
    )

  for (const pin of bundle.ledgers) {
    const ledgerProblems = await checkPinnedLedger(path.resolve(dir, pin.file), pin)
    out.problems.push(...ledgerProblems)
    if (ledgerProblems.length === 0)
      out.passed.push(
        `the ledger ${pin.file} is intact and still holds the ${pin.records} records pinned (last ${pin.lastHash.slice(0, 12)})`,
      )
  }
  out.problems.push(...chainProblems(bundle))
  if (bundle.ledgers.length > 1 && !out.problems.some((p) => p.includes('chain')))
    out.passed.push(`the ${bundle.ledgers.length} ledgers chain to ${bundle.chainHead?.slice(0, 12)}`)

  const sig = bundle.signature
  if (!sig) {
    out.problems.push(
      'the bundle carries no signature, so an edit to it cannot be detected; decide signs it when given `signing-key` or `hmac-key`',
    )
  } else {
    const problem = verifySignature(sig, signedBytes(bundle), material)
    if (problem) out.problems.push(problem)
    else out.passed.push(`the ${ALG_NAMES[sig.alg]} signature is valid${sig.keyId ? ` (key ${sig.keyId})` : ''}`)
  }
  const a = bundle.approval
  if (a && a.approvedDigest === a.promotedDigest)
    out.passed.push(`what was approved is what was promoted: the pre-flight decision ${a.approvedDigest.slice(0, 19)}…`)
  else if (a && bundle.decision === 'GO')
    out.problems.push(
      `the bundle says GO, but the reviewers approved the pre-flight decision ${a.approvedDigest} and the run went on with ${a.promotedDigest}: decide never decides GO on that, so the bundle was edited`,
    )
  if (bundle.attestation) await checkAttestation(path.resolve(dir, bundle.attestation.file), bundle, bytes, material, out)
  else if (sig && sig.alg !== 'hmac-sha256')
    out.passed.push('the bundle names no in-toto attestation (it was decided before decide wrote them)')
  return out
}

/** The DSSE envelope beside the bundle: signed over PAE by the key given, and a statement of this very bundle. */
async function checkAttestation(file: string, bundle: Bundle, bundleBytes: Buffer, m: VerifyMaterial, out: BundleVerification) {
  const name = bundle.attestation?.file
  let value: unknown
  try {
    value = JSON.parse((await readRegularFile(file, MAX_BUNDLE_BYTES)).toString('utf8'))
  } catch (err) {
    out.problems.push(
      `the attestation ${name} the bundle names ${err instanceof SyntaxError ? 'is not valid JSON' : errorCode(err) === 'ENOENT' ? 'is missing' : fsProblem(err)}: the decision cannot be checked by a third party`,
    )
    return
  }
  const v = verifyEnvelope(value, m.publicKey, m.publicKeyLabel)
  if (!v.statement) {
    out.problems.push(...v.problems.map((p) => `the attestation ${name}: ${p}`))
    return
  }
  const p = v.statement.predicate
  const problems: string[] = []
  if (p.bundle?.sha256 !== sha256Hex(bundleBytes))
    problems.push(`it attests a bundle with SHA-256 ${String(p.bundle?.sha256)}, not this one (${sha256Hex(bundleBytes)})`)
  const commit = v.statement.subject.find((x) => x.digest?.gitCommit !== undefined)?.digest.gitCommit
  // The bundle may be the tampered one: a field renamed by an edit is a problem, never a TypeError.
  const bundleSha = (bundle as { subject?: { sha?: unknown } }).subject?.sha
  if (typeof bundleSha === 'string' && bundleSha && commit !== bundleSha)
    problems.push(`its subject is commit ${String(commit)}, not the bundle's ${bundleSha}`)
  if (p.decision !== bundle.decision) problems.push(`it attests ${String(p.decision)}, the bundle says ${bundle.decision}`)
  const listed = (rs: { id: string; sha256: string }[]) => rs.map((r) => `${r.id}:${r.sha256}`).join(',')
  if (!Array.isArray(p.reports) || !Array.isArray(bundle.reports) || listed(p.reports) !== listed(bundle.reports))
    problems.push("its reports' SHA-256 are not the bundle's")
  if (p.ledger?.head !== bundle.chainHead)
    problems.push(`its ledger head ${String(p.ledger?.head)} is not the bundle's ${String(bundle.chainHead)}`)
  if (problems.length) out.problems.push(`the attestation ${name} is signed but is not of this bundle: ${problems.join('; ')}`)
  else
    out.passed.push(
      `the in-toto attestation ${name} is signed over its DSSE PAE (key ${v.keyid || 'unnamed'}) and attests this bundle, commit ${commit?.slice(0, 12) ?? '(none)'}`,
    )
}

/**
 * The bundle's list of ledgers against its `chainHead`. Linked (every pin names the head it
 * continues): the pins must be one chain in the order listed, from 64 zeros, and the head is the
 * last one's last hash. Separate (no pin names one): the head hashes the pins in order.
 */
export function chainProblems(bundle: Pick<Bundle, 'ledgers' | 'chainHead'>): string[] {
  const pins = bundle.ledgers
  if (pins.length === 0) return []
  const linked = pins.filter((p) => p.prev !== undefined).length
  if (linked === 0)
    return bundle.chainHead === chainHead(pins)
      ? []
      : [
          `the bundle's chainHead ${bundle.chainHead ?? '(none)'} is not the chain of its ${pins.length} ledger heads: the list of ledgers was edited`,
        ]
  if (linked < pins.length)
    return ["some of the bundle's ledgers name the head they continue and some do not: the list of ledgers was edited"]
  const { order, problems } = linkLedgers(pins)
  const out = problems.map((p) => `the run's ledgers are not one chain: ${p}`)
  if (problems.length === 0 && order.some((p, i) => p !== pins[i]))
    out.push("the bundle lists the run's ledgers out of their chain order: the list of ledgers was edited")
  const head = pins[pins.length - 1].lastHash
  if (bundle.chainHead !== head)
    out.push(
      `the bundle's chainHead ${bundle.chainHead ?? '(none)'} is not the last hash of the run's chain (${head}): the bundle was edited`,
    )
  return out
}
