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
  /** The first record's `prev`: 64 zeros, or the head of the ledger (of an earlier job) this one continues. */
  start?: string
  /** Why the chain does not hold (empty when it does). */
  problems: string[]
}

/**
 * Verifies the chain and takes its records from the very bytes verified (only a verified chain is
 * read as records). The first record may continue any head: which one is the caller's to judge
 * (linkLedgers), as only the other ledgers of the run can say whether it is the right one.
 */
export async function readLedger(file: string): Promise<LedgerReading> {
  let bytes: Buffer
  try {
    bytes = await readLedgerBytes(file)
  } catch (err) {
    if (err instanceof LedgerError) return { ...(err.missing ? { missing: true } : {}), records: [], problems: [err.message] }
    throw err
  }
  const verdict = verifyLedgerBytes(bytes, { start: 'any' })
  if (!verdict.ok) return { records: [], problems: verdict.problems }
  return { records: verdict.chain, lastHash: verdict.lastHash, start: verdict.start, problems: [] }
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
  const start = pin.prev ?? GENESIS
  if (l.start !== start)
    return [
      start === GENESIS
        ? `the ledger ${pin.file} continues the head ${l.start?.slice(0, 12)} of another ledger, but the bundle pinned it as the start of a chain`
        : `the ledger ${pin.file} starts from ${l.start?.slice(0, 12)}, not from the head ${start.slice(0, 12)} the bundle pinned: it was rewritten`,
    ]
  return []
}

/**
 * The ledgers of one run as one chain: exactly one starts at 64 zeros, and each other one's
 * first record names the last hash of exactly one other (the job before it). Returns them in
 * chain order, and a sentence for every way they fail to form one line: a second start, a fork
 * (two jobs continuing the same head), a ledger continuing a head no ledger here ends (the job
 * between them is missing, or a ledger was cut or extended after it handed its head on).
 */
export function linkLedgers(pins: LedgerPin[]): { order: LedgerPin[]; problems: string[] } {
  const problems: string[] = []
  const byPrev = new Map<string, LedgerPin[]>()
  for (const p of pins) {
    const prev = p.prev ?? GENESIS
    byPrev.set(prev, [...(byPrev.get(prev) ?? []), p])
  }
  const starts = byPrev.get(GENESIS) ?? []
  if (starts.length === 0 && pins.length)
    problems.push(
      `none of the ${pins.length} ledgers starts the chain (every one continues another's head): the ledger of the first job is missing`,
    )
  if (starts.length > 1)
    problems.push(
      `${starts.length} ledgers start a chain of their own (${starts.map((p) => p.file).join(', ')}): every job after the first must continue the ledger of the job before it (CUTOVER_LEDGER_PREV), so these are not one run's chain`,
    )
  for (const [prev, next] of byPrev)
    if (prev !== GENESIS && next.length > 1)
      problems.push(
        `${next.map((p) => p.file).join(' and ')} both continue the head ${prev.slice(0, 12)}: the chain forks, so one of them is not the job that followed`,
      )
  const order: LedgerPin[] = []
  const seen = new Set<LedgerPin>()
  for (let cur = byPrev.get(GENESIS)?.[0]; cur && !seen.has(cur); cur = byPrev.get(cur.lastHash)?.[0]) {
    seen.add(cur)
    order.push(cur)
  }
  const ends = new Set(pins.map((p) => p.lastHash))
  for (const p of pins) {
    if (seen.has(p) || (p.prev ?? GENESIS) === GENESIS) continue
    const prev = p.prev as string
    if (!ends.has(prev))
      problems.push(
        `the ledger ${p.file} continues the head ${prev.slice(0, 12)}, which is the last record of no ledger here: the ledger of the job before it is missing, or was cut short or extended after it handed its head on`,
      )
    else if (!problems.some((x) => x.includes(prev.slice(0, 12))))
      problems.push(`the ledger ${p.file} is not reached from the start of the chain: the ledgers before it do not link up`)
  }
  // Whatever did not link is listed after the chain, in the order given, so every ledger stays pinned.
  for (const p of pins) if (!seen.has(p)) order.push(p)
  return { order, problems }
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
