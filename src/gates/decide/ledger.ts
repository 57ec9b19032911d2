/**
 * The gate ledger (`<reports>/ledger.jsonl`, see src/core/ledger.ts) as decide and bundle verify
 * use it. A chain proves the order and integrity of what is there but not that nothing was cut
 * from its end; the bundle anchors it by pinning how many records there were at the decision
 * and the last one's hash. Records appended later (decide's own run) keep the pin valid.
 */
import { createHash } from 'node:crypto'
import { GENESIS, LedgerError, readLedgerBytes, verifyLedgerBytes, type LedgerRecord } from '../../core/ledger.js'
import type { LedgerPin } from './bundle.js'

export interface LedgerReading {
  /** True when there is no ledger file at all. */
  missing?: boolean
  records: LedgerRecord[]
  lastHash?: string
  /** Why the chain does not hold (empty when it does). */
  problems: string[]
}

/** Verifies the chain and takes its records from the very bytes verified (only a verified chain is read as records). */
export async function readLedger(file: string): Promise<LedgerReading> {
  let bytes: Buffer
  try {
    bytes = await readLedgerBytes(file)
  } catch (err) {
    if (err instanceof LedgerError) return { ...(err.missing ? { missing: true } : {}), records: [], problems: [err.message] }
    throw err
  }
  const verdict = verifyLedgerBytes(bytes)
  if (!verdict.ok) return { records: [], problems: verdict.problems }
  return { records: verdict.chain, lastHash: verdict.lastHash, problems: [] }
}

/**
 * The gate ids a ledger names on any line that parses, chain intact or not: what decide must
 * never overwrite. Empty when there is no readable ledger.
 */
export async function recordedIds(file: string): Promise<Set<string>> {
  const ids = new Set<string>()
  let text: string
  try {
    text = (await readLedgerBytes(file)).toString('utf8')
  } catch {
    return ids
  }
  for (const line of text.split('\n')) {
    try {
      const v = JSON.parse(line) as { id?: unknown }
      if (v && typeof v.id === 'string') ids.add(v.id)
    } catch {
      // Not a record: nothing to protect on this line.
    }
  }
  return ids
}

/** The latest record of each gate id: what its report's SHA-256 was when the gate wrote it. */
export function latestById(records: LedgerRecord[]): Map<string, LedgerRecord> {
  const out = new Map<string, LedgerRecord>()
  for (const r of records) out.set(r.id, r)
  return out
}

/** Problems with a ledger against the pin a bundle holds; empty when the pinned records are intact. */
export async function checkPinnedLedger(file: string, pin: LedgerPin): Promise<string[]> {
  const l = await readLedger(file)
  if (l.problems.length) return l.problems.map((p) => `the ledger ${pin.file} is broken: ${p}`)
  if (l.records.length < pin.records)
    return [
      `the ledger ${pin.file} holds ${l.records.length} records, fewer than the ${pin.records} the bundle pinned: records were removed from its end`,
    ]
  const at = l.records[pin.records - 1]
  if (!at || at.hash !== pin.lastHash)
    return [
      `record ${pin.records} of the ledger ${pin.file} is not the one the bundle pinned (hash ${at?.hash ?? 'none'}, pinned ${pin.lastHash}): the ledger was rewritten`,
    ]
  return []
}

/**
 * One value anchoring every job's ledger, in order: h0 = 64 zeros, then for each pin
 * h = SHA-256(`${h}:${file}:${records}:${lastHash}`). A ledger edited, dropped, cut short or
 * moved to another place in the order gives another head.
 */
export function chainHead(pins: LedgerPin[]): string {
  let h = GENESIS
  for (const p of pins) h = createHash('sha256').update(`${h}:${p.file}:${p.records}:${p.lastHash}`).digest('hex')
  return h
}
