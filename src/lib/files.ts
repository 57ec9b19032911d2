/**
 * Reads bounded so that a FIFO, a device or a huge file cannot hang or exhaust a reader that
 * expected a small regular file.
 */
import { constants, closeSync, fstatSync, openSync, readSync } from 'node:fs'
import * as nodeFs from 'node:fs/promises'

export class NotRegularFileError extends Error {
  readonly kind: string
  constructor(file: string, kind: string) {
    super(`${file} is ${kind}, not a regular file`)
    this.name = 'NotRegularFileError'
    this.kind = kind
  }
}

export class TooLargeError extends Error {
  readonly size: number
  readonly limit: number
  constructor(file: string, size: number, limit: number) {
    super(`${file} is ${size} bytes, more than the ${limit} bytes it may be`)
    this.name = 'TooLargeError'
    this.size = size
    this.limit = limit
  }
}

export function kindOf(s: {
  isDirectory(): boolean
  isFIFO(): boolean
  isCharacterDevice(): boolean
  isBlockDevice(): boolean
  isSocket(): boolean
}) {
  if (s.isDirectory()) return 'a folder'
  if (s.isFIFO()) return 'a named pipe (FIFO)'
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device'
  if (s.isSocket()) return 'a socket'
  return 'not a regular file'
}

type Stats = Parameters<typeof kindOf>[0] & { isFile(): boolean; size: number }

/** The checks on the open descriptor, and a buffer of limit + 1 bytes: a file that grew after the stat is still caught. */
function bufferFor(file: string, s: Stats, limit: number): Buffer {
  if (!s.isFile()) throw new NotRegularFileError(file, kindOf(s))
  if (s.size > limit) throw new TooLargeError(file, s.size, limit)
  return Buffer.alloc(Math.min(s.size, limit) + 1)
}

/** What was read, or why it is not the file as it was when it was opened. */
function readOut(file: string, buf: Buffer, read: number, s: Stats, limit: number): Buffer {
  if (read > limit) throw new TooLargeError(file, read, limit)
  if (read > s.size) throw new Error(`${file} grew while it was read: it is being written`)
  return buf.subarray(0, read)
}

/**
 * Reads a regular file of at most `limit` bytes. Opened non-blocking, so a FIFO cannot stall the
 * open, then checked on the open descriptor (no race with a rename between check and read).
 * Throws NotRegularFileError, TooLargeError, or the file system's own error (ENOENT, EACCES…).
 */
export async function readRegularFile(file: string, limit: number, fs: Pick<typeof nodeFs, 'open'> = nodeFs): Promise<Buffer> {
  const fh = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const s = await fh.stat()
    const buf = bufferFor(file, s, limit)
    let read = 0
    for (let n = -1; n !== 0 && read < buf.length; read += n) n = (await fh.read(buf, read, buf.length - read, read)).bytesRead
    return readOut(file, buf, read, s, limit)
  } finally {
    await fh.close()
  }
}

type SyncFs = Pick<typeof import('node:fs'), 'openSync' | 'fstatSync' | 'readSync' | 'closeSync'>

/** readRegularFile for code that must stay synchronous (many small files verified in one pass). */
export function readRegularFileSync(file: string, limit: number, fs: SyncFs = { openSync, fstatSync, readSync, closeSync }): Buffer {
  const fd = fs.openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const s = fs.fstatSync(fd)
    const buf = bufferFor(file, s, limit)
    let read = 0
    for (let n = -1; n !== 0 && read < buf.length; read += n) n = fs.readSync(fd, buf, read, buf.length - read, read)
    return readOut(file, buf, read, s, limit)
  } finally {
    fs.closeSync(fd)
  }
}
