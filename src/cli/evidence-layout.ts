/**
 * The seed's evidence folder (wien-pilot §10), written from a bundle for teams whose auditors
 * expect it: `<root>/prod_cutover_<YYYYMMDD_HHMMSS>/` with one file per gate (`<id>.json`, the
 * report decide judged), `approval_record.json` (who approved what), the bundle and its
 * attestation, and `cutover_summary.json` listing every file with its SHA-256.
 *
 * The timestamp is the decision's own (`decidedAt`, UTC), so the same bundle always names the same
 * folder. Only reports whose bytes still have the SHA-256 the bundle lists are copied; any other
 * is refused, and nothing is written. An existing folder is never overwritten.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ID_PATTERN } from '../core/report.js'
import { attestedApproval } from '../gates/decide/attest.js'
import type { Bundle } from '../gates/decide/bundle.js'
import { sha256Hex } from '../gates/decide/reports.js'

export class LayoutError extends Error {}

export function layoutFolderName(decidedAt: string): string {
  const t = new Date(decidedAt)
  if (Number.isNaN(t.getTime())) throw new LayoutError(`the bundle's decidedAt ${JSON.stringify(decidedAt)} is not a time`)
  const p = (n: number) => String(n).padStart(2, '0')
  return `prod_cutover_${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}_${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}`
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2) + '\n', 'utf8')

/** Writes the folder and returns its path. Throws LayoutError (a sentence) before writing anything when a file does not match. */
export async function writeSeedLayout(bundleFile: string, root: string): Promise<string> {
  let bundleBytes: Buffer
  try {
    bundleBytes = await readFile(bundleFile)
  } catch (err) {
    throw new LayoutError(`the bundle ${bundleFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let bundle: Bundle
  try {
    bundle = JSON.parse(bundleBytes.toString('utf8')) as Bundle
  } catch {
    throw new LayoutError(`${bundleFile} is not valid JSON: it is not a bundle`)
  }
  if (!Array.isArray(bundle.reports) || (bundle.decision !== 'GO' && bundle.decision !== 'NO-GO'))
    throw new LayoutError(`${bundleFile} is not a decision bundle`)
  const dir = path.dirname(bundleFile)
  const files = new Map<string, Buffer>()
  for (const r of bundle.reports) {
    if (!ID_PATTERN.test(r.id)) throw new LayoutError(`the bundle lists a report id ${JSON.stringify(r.id)} that cannot be a file name`)
    let bytes: Buffer
    try {
      bytes = await readFile(path.resolve(dir, r.file))
    } catch {
      throw new LayoutError(`report \`${r.id}\` (${r.file}) is missing, so the evidence folder would not hold what was decided on`)
    }
    if (sha256Hex(bytes) !== r.sha256)
      throw new LayoutError(
        `report \`${r.id}\` (${r.file}) changed after the decision (SHA-256 ${sha256Hex(bytes)}, the bundle lists ${r.sha256})`,
      )
    if (files.has(`${r.id}.json`)) throw new LayoutError(`the bundle lists two reports of gate \`${r.id}\``)
    files.set(`${r.id}.json`, bytes)
  }
  const approved = bundle.approval?.approvedDigest
  files.set(
    'approval_record.json',
    json({
      decision: bundle.decision,
      subject: bundle.subject,
      approvals: (bundle.approvals ?? []).map((a) => attestedApproval(a, approved)),
      ...(bundle.approval ? { approval: bundle.approval } : {}),
    }),
  )
  files.set('decision_bundle.json', bundleBytes)
  if (bundle.attestation) {
    try {
      files.set('decision.intoto.json', await readFile(path.resolve(dir, bundle.attestation.file)))
    } catch {
      throw new LayoutError(`the attestation ${bundle.attestation.file} the bundle names is missing`)
    }
  }
  const summary = {
    decision: bundle.decision,
    status: bundle.status,
    decidedAt: bundle.decidedAt,
    subject: bundle.subject,
    ledgerHead: bundle.chainHead ?? null,
    reasons: bundle.reasons,
    files: [...files].map(([name, bytes]) => ({ file: name, sha256: sha256Hex(bytes) })),
  }
  const out = path.join(root, layoutFolderName(bundle.decidedAt))
  try {
    await mkdir(root, { recursive: true })
    await mkdir(out)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new LayoutError(
      code === 'EEXIST'
        ? `${out} already exists: an evidence folder is never overwritten`
        : `${out} cannot be created (${code ?? 'error'})`,
    )
  }
  for (const [name, bytes] of files) await writeFile(path.join(out, name), bytes, { flag: 'wx' })
  await writeFile(path.join(out, 'cutover_summary.json'), json(summary), { flag: 'wx' })
  return out
}
