/**
 * The evidence bundle `cutover-summary.json`: what was decided, about which commit and run, on
 * which reports (each pinned by its SHA-256), when each gate ran, who approved, and a signature
 * over the canonical JSON of everything else. The file is indented for people; the signature
 * does not depend on the indentation.
 */
import { writeFileAtomic } from '../../core/files.js'
import path from 'node:path'
import type { Subject } from '../../core/report.js'
import type { Status } from '../../core/result.js'
import { canonicalBytes } from './canonical.js'
import { sha256Hex } from './reports.js'
import type { Signature, Signer } from './sign.js'

export const BUNDLE_SCHEMA_VERSION = 2
export const DEFAULT_BUNDLE_NAME = 'cutover-summary.json'

export type Decision = 'GO' | 'NO-GO'

/** The subject of the decision: the report subject's fields that name the commit and run. */
export type BundleSubject = Pick<Subject, 'repository' | 'sha' | 'ref' | 'runId' | 'runAttempt' | 'actor'>

export interface BundleReport {
  id: string
  /** Relative to the bundle's folder, with `/` separators. */
  file: string
  /** Lowercase hex SHA-256 of the report file as decide read it. */
  sha256: string
  status: Status
  /** Absent when the file was not a readable report (then `problem` says why). */
  gate?: string
  startedAt?: string
  finishedAt?: string
  problem?: string
}

export interface TimelineEntry {
  id: string
  start: string
  finish: string
  status: Status
}

export interface LedgerPin {
  file: string
  lastHash: string
  records: number
  /**
   * The head this ledger continues (its first record's `prev`), present when the run's ledgers
   * are one chain: then the bundle's `chainHead` is the last ledger's `lastHash`.
   */
  prev?: string
}

export interface Bundle {
  schemaVersion: number
  subject: BundleSubject
  decision: Decision
  status: Status
  decidedAt: string
  reasons: string[]
  reports: BundleReport[]
  timeline: TimelineEntry[]
  /** The decision settings applied. */
  rule: { allowWarn: boolean; maxReportAgeMs: number; required?: string[] }
  approvals: unknown[]
  /** Each report folder's ledger (one per job), pinned by length and last hash, in order (chain order when linked). */
  ledgers: LedgerPin[]
  /**
   * One value for the whole run: with linked ledgers (each pin has `prev`) the last record's hash of
   * the last job, which every record of every job is chained into; otherwise the ledgers' heads
   * hashed together in order (see decide's chainHead).
   */
  chainHead?: string
  /**
   * What the reviewers approved against what this bundle promotes: the digest of the pre-flight
   * decision (the decide job's GO bundle) recorded with the approval, and the digest of the
   * pre-flight bundle this run went on with. Present when decide was given both.
   */
  approval?: { approvedDigest: string; promotedDigest: string; preflight: string }
  /** The DSSE envelope of the in-toto statement beside the bundle (relative path), when an asymmetric key signed it. */
  attestation?: { file: string; predicateType: string }
  signature?: Signature
}

/** What the signature covers: the bundle without its `signature`. */
export function signedBytes(bundle: Bundle | Omit<Bundle, 'signature'>): Buffer {
  const { signature: _s, ...rest } = bundle as Bundle
  return canonicalBytes(rest)
}

export function signBundle(unsigned: Omit<Bundle, 'signature'>, signer: Signer | undefined): Bundle {
  return signer ? { ...unsigned, signature: signer.sign(signedBytes(unsigned)) } : { ...unsigned }
}

export function serializeBundle(bundle: Bundle): Buffer {
  return Buffer.from(JSON.stringify(bundle, null, 2) + '\n', 'utf8')
}

/** Writes atomically (temp file + rename) and returns `sha256:<hex>` of the bytes written. */
export async function writeBundle(file: string, bundle: Bundle): Promise<string> {
  const bytes = serializeBundle(bundle)
  await writeFileAtomic(file, bytes)
  return `sha256:${sha256Hex(bytes)}`
}

/** A path as the bundle lists it: relative to the bundle's folder, `/`-separated on every OS. */
export function relativeToBundle(bundleFile: string, file: string): string {
  return path.relative(path.dirname(bundleFile), file).split(path.sep).join('/')
}
