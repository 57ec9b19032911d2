/**
 * Reads the script's verdict line out of its whole output as it streams, not out of the kept
 * tail: a script may print its verdict and then megabytes of logs. Lines are matched one by one
 * (so `^` and `$` mean the line), without colour codes or a trailing CR, and the last match wins.
 */
import type { Status } from '../../core/result.js'

/** Longer lines are matched on their first characters only: a verdict line is short, and this bounds the regex's work. */
export const MAX_LINE = 4096

export interface VerdictMatch {
  /** The captured word, as the script wrote it. */
  word: string
  /** What the word means; undefined when it is not PASS, WARN or FAIL. */
  status?: Status
  /** The whole line, for the report (masked by the caller). */
  line: string
  /** 1-based line number in its stream. */
  lineNo: number
  stream: 'stdout' | 'stderr'
}

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g

const WORDS: Record<string, Status> = { PASS: 'pass', WARN: 'warn', FAIL: 'fail' }

class LineSplitter {
  private partial = ''
  private skipping = false
  lineNo = 0
  constructor(private readonly onLine: (line: string, lineNo: number) => void) {}

  push(text: string): void {
    let start = 0
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      this.take(text.slice(start, nl))
      this.end()
      start = nl + 1
    }
    this.take(text.slice(start))
  }

  private take(piece: string): void {
    if (this.skipping || piece === '') return
    const room = MAX_LINE - this.partial.length
    this.partial += piece.slice(0, room)
    if (piece.length >= room) this.skipping = true
  }

  end(): void {
    this.lineNo++
    // An empty line cannot match: the pattern is refused when it matches ''.
    if (this.partial !== '') this.onLine(this.partial, this.lineNo)
    this.partial = ''
    this.skipping = false
  }

  /** The last line, when the output does not end with a newline. */
  flush(): void {
    if (this.partial !== '') this.end()
  }
}

/** Feeds output chunks in; `last` is the last line that matched `pattern`. */
export class VerdictReader {
  last?: VerdictMatch
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
  private readonly splitters: Record<'stdout' | 'stderr', LineSplitter>

  constructor(private readonly pattern: RegExp) {
    this.splitters = {
      stdout: new LineSplitter((line, n) => this.match(line, n, 'stdout')),
      stderr: new LineSplitter((line, n) => this.match(line, n, 'stderr')),
    }
  }

  push(chunk: Uint8Array, stream: 'stdout' | 'stderr'): void {
    this.splitters[stream].push(this.decoders[stream].decode(chunk, { stream: true }))
  }

  finish(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      this.splitters[stream].push(this.decoders[stream].decode())
      this.splitters[stream].flush()
    }
  }

  private match(raw: string, lineNo: number, stream: 'stdout' | 'stderr'): void {
    const line = raw.replace(ANSI, '').replace(/\r$/, '')
    const m = this.pattern.exec(line)
    if (!m || m[1] === undefined) return
    const word = m[1].trim()
    this.last = { word, line, lineNo, stream, ...(WORDS[word.toUpperCase()] ? { status: WORDS[word.toUpperCase()] } : {}) }
  }
}
