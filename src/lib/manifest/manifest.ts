/**
 * SHA-256 manifests: the GNU `sha256sum` form (`<hex>  <path>` or `<hex> *<path>`), the BSD
 * `--tag` form (`SHA256 (<path>) = <hex>`, as `sha256sum --tag` and `shasum -a 256 --tag` write
 * it) and OpenSSL's `SHA2-256(<path>)= <hex>`, mixed freely line by line as `sha256sum -c` does.
 *
 * Parsing is strict, because a manifest is what an attacker would edit: a line that is not one of
 * these forms refuses the whole manifest (ManifestError, naming the line). A well-formed line whose
 * path is unsafe (absolute, `..`, backslash, control characters, listed twice) becomes a problem
 * of that entry only, so the report can name every bad line at once.
 */
import { checkEntryPath, type PathProblemKind } from './paths.js'

/** Manifests larger than this are refused: about 150,000 entries, far beyond an evidence folder. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024

export type ManifestFormat = 'gnu' | 'bsd' | 'openssl'

export interface ManifestEntry {
  /** Normalised path relative to the folder, `/`-separated, without `./` parts. */
  path: string
  /** Lowercase hex SHA-256. */
  digest: string
  /** 1-based line of the manifest. */
  line: number
  format: ManifestFormat
}

export interface ManifestProblem {
  line: number
  /** The path as written, for display (see `showPath`). */
  written: string
  kind: PathProblemKind | 'duplicate'
  /** A sentence fragment: why the entry is refused. */
  reason: string
}

export interface Manifest {
  entries: ManifestEntry[]
  problems: ManifestProblem[]
  formats: ManifestFormat[]
}

/** The manifest as a whole cannot be used; `line` names where, when one line is to blame. */
export class ManifestError extends Error {
  readonly line: number | undefined
  constructor(message: string, line?: number) {
    super(message)
    this.name = 'ManifestError'
    this.line = line
  }
}

const HEX64 = '[0-9A-Fa-f]{64}'
const GNU = new RegExp(`^(${HEX64}) ([ *])(.*)$`, 's')
const BSD = new RegExp(`^SHA256 \\((.*)\\) = (${HEX64})$`, 's')
const OPENSSL = new RegExp(`^SHA2?-?256\\((.*)\\)= (${HEX64})$`, 's')
// Recognised only to say precisely what is wrong with them.
const OTHER_TAG = /^(MD5|SHA1|SHA224|SHA384|SHA512(?:\/\d+)?|SHA3-\d+|BLAKE2b(?:-\d+)?|SM3|CRC) ?\(/
const GNU_OTHER_LENGTH = /^([0-9A-Fa-f]{32}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{56}|[0-9A-Fa-f]{96}|[0-9A-Fa-f]{128}) [ *]/
const SHASUM_MODES = new RegExp(`^${HEX64} [U^]`)

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A path safe to print in a message: quoted when it holds anything but printable characters. */
export function showPath(p: string, max = 200): string {
  const cut = p.length > max ? p.slice(0, max) + '…' : p
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029"`]/.test(cut) || cut.trim() !== cut || cut === '' ? JSON.stringify(cut) : cut
}

function describeLine(text: string): string {
  const s = showPath(text, 60)
  return s.startsWith('"') ? s : `"${s}"`
}

/** Parses a manifest's bytes; throws ManifestError when it cannot be used at all. */
export function parseManifest(bytes: Uint8Array): Manifest {
  if (bytes.length === 0) throw new ManifestError('the manifest is empty: it lists no files')
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new ManifestError(`the manifest is ${bytes.length} bytes; at most ${MAX_MANIFEST_BYTES} bytes (16 MiB) are read`)
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ManifestError('the manifest starts with a byte-order mark, which `sha256sum -c` does not accept: save it as plain UTF-8', 1)
  }
  const entries: ManifestEntry[] = []
  const problems: ManifestProblem[] = []
  const formats = new Set<ManifestFormat>()
  const firstLine = new Map<string, number>()

  let start = 0
  let line = 0
  while (start < bytes.length) {
    line++
    let end = bytes.indexOf(0x0a, start)
    if (end < 0) end = bytes.length
    let raw: string
    try {
      raw = utf8.decode(bytes.subarray(start, end))
    } catch {
      throw new ManifestError(`line ${line} is not valid UTF-8 text`, line)
    }
    start = end + 1
    // A CRLF manifest (written on Windows) is read as LF; a bare CR anywhere else is refused below.
    if (raw.endsWith('\r')) raw = raw.slice(0, -1)
    if (raw === '') throw new ManifestError(`line ${line} is empty; a manifest holds one \`<sha256>  <path>\` line per file`, line)

    let digest: string
    let written: string
    let format: ManifestFormat
    let escaped = false
    // GNU tools write names holding a backslash or newline escaped, with a leading backslash.
    const text = raw.startsWith('\\') ? ((escaped = true), raw.slice(1)) : raw
    let m: RegExpExecArray | null
    if ((m = GNU.exec(text))) [digest, written, format] = [m[1], m[3], 'gnu']
    else if ((m = BSD.exec(text))) [written, digest, format] = [m[1], m[2], 'bsd']
    else if ((m = OPENSSL.exec(text))) [written, digest, format] = [m[1], m[2], 'openssl']
    else throw new ManifestError(malformed(line, text), line)

    formats.add(format)
    if (escaped) {
      problems.push({
        line,
        written,
        kind: 'backslash',
        reason: 'is written in the escaped form GNU tools use for names holding a backslash or a newline',
      })
      continue
    }
    const checked = checkEntryPath(written)
    if ('kind' in checked) {
      problems.push({ line, written, kind: checked.kind, reason: checked.reason })
      continue
    }
    const first = firstLine.get(checked.path)
    if (first !== undefined) {
      problems.push({ line, written, kind: 'duplicate', reason: `is listed again (first on line ${first}); each file must be listed once` })
      continue
    }
    firstLine.set(checked.path, line)
    entries.push({ path: checked.path, digest: digest.toLowerCase(), line, format })
  }
  return { entries, problems, formats: [...formats] }
}

function malformed(line: number, text: string): string {
  const tag = OTHER_TAG.exec(text)
  if (tag) return `line ${line} holds a ${tag[1]} digest; only SHA-256 manifests are accepted (sha256sum, or sha256sum --tag)`
  if (GNU_OTHER_LENGTH.test(text)) {
    const hex = text.indexOf(' ')
    return `line ${line} holds a ${hex * 4}-bit digest; only SHA-256 (64 hex digits) is accepted`
  }
  if (SHASUM_MODES.test(text))
    return `line ${line} uses shasum's universal/bits mode (\`U\` or \`^\`), which hashes differently; write it with sha256sum`
  if (/^\s*#/.test(text)) return `line ${line} is a comment; manifests have no comments`
  return `line ${line} (${describeLine(text)}) is not a SHA-256 manifest line: expected \`<64 hex digits>  <path>\` or \`SHA256 (<path>) = <64 hex digits>\``
}

/** The GNU form `sha256sum` writes and `sha256sum -c` reads: `<hex>  <path>\n`, in the given order. */
export function formatManifest(entries: { path: string; digest: string }[]): string {
  return entries.map((e) => `${e.digest}  ${e.path}\n`).join('')
}
