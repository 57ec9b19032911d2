/**
 * What a key input (a PEM or minisign key written inline, or the path of a file holding one) may
 * show of itself in a message. A key pasted without its `-----BEGIN ...-----` line would otherwise
 * be taken for a path and quoted back in "... does not exist", private key body and all. So a value
 * is quoted only when it is shaped like a path; key text is never quoted, and anything else is
 * named by its input alone. The same shapes decide what is masked in logs.
 */

/** `key-text`: PEM armor or body, minisign or OpenSSH key text. `path`: has a folder or an extension. `opaque`: neither. */
export type KeyValueShape = 'key-text' | 'path' | 'opaque'

/** A PEM body line, a base64 key or a hex secret: 32 or more base64 characters and nothing else. */
const BASE64_RUN = /^[A-Za-z0-9+/=]{32,}$/
const OPENSSH_KEY = /^(?:ssh-|ecdsa-sha2-|sk-)[A-Za-z0-9@._+-]*\s+[A-Za-z0-9+/=]{16,}/
/**
 * `keys/release.pub`, `./cosign.pub`, `C:\keys\a.pem`, `release.pem`: a folder or a file extension;
 * or lowercase words joined by `_` or `-` (`allowed_signers`), which random secrets never are.
 */
const PATH_LIKE = /[/\\]|\.[A-Za-z0-9]{1,12}$|^[a-z]+(?:[_-][a-z]+)+$/

/** The shape of one line of a key input. */
export function shapeOfLine(line: string): KeyValueShape {
  const t = line.trim()
  if (t.includes('-----') || /^untrusted comment:/i.test(t) || BASE64_RUN.test(t) || OPENSSH_KEY.test(t)) return 'key-text'
  return PATH_LIKE.test(t) && t.length <= 4096 ? 'path' : 'opaque'
}

/** The shape of a whole value: several lines are key text when any is, and never one path. */
export function shapeOf(value: string): KeyValueShape {
  const lines = value.split(/\r?\n/).filter((l) => l.trim() !== '')
  if (lines.some((l) => shapeOfLine(l) === 'key-text')) return 'key-text'
  if (lines.length !== 1) return 'opaque'
  return shapeOfLine(lines[0])
}

/** The value itself when it is a path, else `what` (`the value of \`signing-key\``) saying why it is not quoted. */
export function shownKeyValue(value: string, what: string): string {
  return shapeOf(value) === 'path' ? value.trim() : `${what} (not shown: it is not shaped like a path, and may be key material)`
}

/**
 * The strings of a key input to mask everywhere: the value and its lines, except paths and the
 * armor lines (`-----BEGIN PUBLIC KEY-----` is in every form sentence). Short opaque words are
 * left alone, so that masking them does not garble unrelated text.
 */
export function keyInputSecrets(raw: string): string[] {
  const lines = raw.split(/\r?\n/).map((l) => l.trim())
  const secret = (l: string) =>
    !/^-----[A-Z0-9 ]+-----$/.test(l) && (shapeOfLine(l) === 'key-text' || (shapeOfLine(l) === 'opaque' && l.length >= 16))
  const out = lines.filter((l) => l.length >= 8 && secret(l))
  if (shapeOf(raw) !== 'path' && raw.trim().length >= 16) out.push(raw, raw.trim())
  return [...new Set(out)]
}

/** The sentence for key text given without its BEGIN line (or any PEM armor we can read). */
export function keyTextWithoutBegin(input: string): string {
  return `\`${input}\` holds key text (not shown) without a -----BEGIN ...----- line: give the whole PEM block, from its -----BEGIN ...----- line to its -----END ...----- line, or the path of the PEM file`
}
