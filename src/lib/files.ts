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

/**
 * Reads a regular file of at most `limit` bytes. Opened non-blocking, so a FIFO cannot stall the
 * open, then checked on the open descriptor (no race with a rename between check and read).
 * Throws NotRegularFileError, TooLargeError, or the file system's own error (ENOENT, EACCES…).
 */
export async function readRegularFile(file: string, limit: number, fs: Pick<typeof nodeFs, 'open'> = nodeFs): Promise<Buffer> {
  const fh = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const s = await fh.stat()
    if (!s.isFile()) throw new NotRegularFileError(file, kindOf(s))
    if (s.size > limit) throw new TooLargeError(file, s.size, limit)
    // Read at most limit + 1 bytes: a file that grew after the stat is still caught.
    const buf = Buffer.alloc(Math.min(s.size, limit) + 1)
    let read = 0
    for (;;) {
      const { bytesRead } = await fh.read(buf, read, buf.length - read, read)
      if (bytesRead === 0) break
      read += bytesRead
      if (read === buf.length) break
    }
    if (read > limit) throw new TooLargeError(file, read, limit)
    if (read > s.size) throw new Error(`${file} grew while it was read: it is being written`)
    return buf.subarray(0, read)
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
    if (!s.isFile()) throw new NotRegularFileError(file, kindOf(s))
    if (s.size > limit) throw new TooLargeError(file, s.size, limit)
    const buf = Buffer.alloc(Math.min(s.size, limit) + 1)
    let read = 0
    for (;;) {
      const n = fs.readSync(fd, buf, read, buf.length - read, read)
      if (n === 0) break
      read += n
      if (read === buf.length) break
    }
    if (read > limit) throw new TooLargeError(file, read, limit)
    if (read > s.size) throw new Error(`${file} grew while it was read: it is being written`)
    return buf.subarray(0, read)
  } finally {
    fs.closeSync(fd)
  }
}
