/**
 * WAL file names and positions, for counting the segments a primary has written but not yet
 * archived. A WAL file name is 24 hex digits: timeline (8), then the segment number split in
 * a "log" part (8) and a segment-within-log part (8). Each log holds 4 GiB of WAL, so with a
 * segment size S there are 2^32 / S segments per log: segment number = log * (2^32 / S) + seg.
 * The timeline does not enter the count: segment numbers continue across a timeline switch.
 */

export class WalError extends Error {}

const WAL_NAME = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(?:\.partial|\.[0-9A-F]{8}\.backup)?$/

export interface WalFile {
  timeline: number
  /** Absolute segment number. */
  segno: bigint
  name: string
}

const LOG_BYTES = 0x1_0000_0000n

/** Valid PostgreSQL segment sizes: a power of two from 1 MiB to 1 GiB. */
export function checkSegmentSize(bytes: number): bigint {
  if (!Number.isSafeInteger(bytes) || bytes < 1 << 20 || bytes > 1 << 30 || (bytes & (bytes - 1)) !== 0) {
    throw new WalError(`wal_segment_size ${bytes} is not a power of two between 1MB and 1GB`)
  }
  return BigInt(bytes)
}

/**
 * Parses a WAL segment file name (a `.partial` segment or a `.backup` history file counts as
 * its segment). Timeline history files (`00000002.history`) are not segments: WalError.
 */
export function parseWalName(name: string, segmentSize: number): WalFile {
  const size = checkSegmentSize(segmentSize)
  const m = WAL_NAME.exec(name)
  if (!m) throw new WalError(`${JSON.stringify(name)} is not a WAL segment file name`)
  const perLog = LOG_BYTES / size
  const log = BigInt(`0x${m[2]}`)
  const seg = BigInt(`0x${m[3]}`)
  if (seg >= perLog) throw new WalError(`${name} names segment ${seg} of a log that holds only ${perLog} segments of ${segmentSize} bytes`)
  return { timeline: parseInt(m[1], 16), segno: log * perLog + seg, name: m[0].slice(0, 24) }
}

/** The file name PostgreSQL gives segment `segno` on `timeline`. */
export function walName(timeline: number, segno: bigint, segmentSize: number): string {
  const perLog = LOG_BYTES / checkSegmentSize(segmentSize)
  if (segno < 0n || segno / perLog > 0xffffffffn) throw new WalError(`segment ${segno} is beyond the WAL address space`)
  const hex = (n: bigint | number) => n.toString(16).toUpperCase().padStart(8, '0')
  return hex(timeline) + hex(segno / perLog) + hex(segno % perLog)
}

/** Parses an LSN written `16/B374D848` into a byte position. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text)
  if (!m) throw new WalError(`${JSON.stringify(text)} is not a WAL position (expected the form 16/B374D848)`)
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)
}

export interface WalLag {
  /** Segments from the one after the last archived up to the current one, inclusive. */
  segments: number
  /** WAL bytes written after the end of the last archived segment. */
  bytes: bigint
}

/**
 * What a primary has not archived: `current` is `pg_walfile_name(pg_current_wal_lsn())` (which
 * names the previous segment when the position sits exactly on a boundary, as it does right
 * after `pg_switch_wal()`), `lastArchived` the archiver's `last_archived_wal`.
 */
export function walLag(lastArchived: string, current: string, currentLsn: string, segmentSize: number): WalLag {
  const last = parseWalName(lastArchived, segmentSize)
  const cur = parseWalName(current, segmentSize)
  const lsn = parseLsn(currentLsn)
  const size = BigInt(segmentSize)
  const diff = cur.segno - last.segno
  if (diff < 0n) {
    throw new WalError(
      `the last archived segment ${last.name} is ahead of the current one ${cur.name}; the archiver statistics belong to another history`,
    )
  }
  const archivedEnd = (last.segno + 1n) * size
  const bytes = lsn > archivedEnd ? lsn - archivedEnd : 0n
  return { segments: Number(diff), bytes }
}
