/**
 * The last bytes of a command's output, in a fixed-size ring: a restore that prints gigabytes
 * of progress must not grow the gate's memory, and the report only ever shows the end.
 */
export class TailBuffer {
  private readonly ring: Buffer
  private start = 0
  private length = 0
  /** Bytes seen in total, including those that fell out of the ring. */
  total = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError('capacity must be a positive whole number')
    this.ring = Buffer.alloc(capacity)
  }

  push(chunk: Uint8Array): void {
    this.total += chunk.byteLength
    // Only the last `capacity` bytes of a big chunk can survive.
    const data = chunk.byteLength > this.capacity ? chunk.subarray(chunk.byteLength - this.capacity) : chunk
    for (let i = 0; i < data.byteLength;) {
      const end = (this.start + this.length) % this.capacity
      const room = this.length < this.capacity ? Math.min(this.capacity - end, this.capacity - this.length) : this.capacity - end
      const n = Math.min(room, data.byteLength - i)
      this.ring.set(data.subarray(i, i + n), end)
      i += n
      const over = this.length + n - this.capacity
      if (over > 0) {
        this.start = (this.start + over) % this.capacity
        this.length = this.capacity
      } else this.length += n
    }
  }

  /** Bytes that fell out of the ring. */
  get dropped(): number {
    return this.total - this.length
  }

  bytes(): Buffer {
    const first = this.ring.subarray(this.start, Math.min(this.start + this.length, this.capacity))
    const rest = this.ring.subarray(0, this.length - first.byteLength)
    return Buffer.concat([first, rest])
  }

  /** The kept bytes as text; a character cut at the front becomes U+FFFD, never an error. */
  text(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes())
  }
}

/** The last `maxLines` lines of `text` (and at most `maxChars` characters), for a report. */
export function lastLines(text: string, maxLines: number, maxChars: number): { text: string; cut: boolean } {
  let body = text.replace(/\r\n/g, '\n').replace(/\n+$/, '')
  let cut = false
  const lines = body.split('\n')
  if (lines.length > maxLines) {
    body = lines.slice(-maxLines).join('\n')
    cut = true
  }
  if (body.length > maxChars) {
    body = body.slice(body.length - maxChars)
    cut = true
  }
  return { text: body, cut }
}
