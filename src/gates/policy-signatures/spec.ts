/** The inputs of policy-signatures, each with its description, default and form. */
import type { ActionMeta } from '../../core/gate.js'
import { input, rules } from '../../core/inputs.js'
import { InputFormError, parseList } from '../../core/units.js'
import { SignatureFormatError } from '../../lib/signing/common.js'
import { keyInputSecrets, shapeOfLine } from '../../lib/signing/key-input.js'
import { scanKeys, type TrustedKeys } from './keys.js'

// ---------------------------------------------------------------------------------------------
// Input parsers

export const FILES_FORM =
  'glob patterns relative to the workspace, one per line, such as policies/**/*.json (a line starting with ! excludes)'

export interface Globs {
  include: string[]
  exclude: string[]
}

export function parseGlobs(raw: string): Globs {
  const include: string[] = []
  const exclude: string[] = []
  for (const line of parseList(raw)) {
    if (line.startsWith('!')) {
      const p = line.slice(1).trim()
      if (p === '') throw new InputFormError(raw, `${FILES_FORM}; a lone ! excludes nothing`)
      exclude.push(p)
    } else include.push(line)
  }
  if (include.length === 0) throw new InputFormError(raw, `${FILES_FORM}, with at least one pattern that is not an exclusion`)
  return { include: [...new Set(include)], exclude }
}

export const PUBLIC_KEYS_FORM =
  'PEM public keys (-----BEGIN PUBLIC KEY----- blocks) or minisign public keys (untrusted comment: line and RW... line), inline or as paths of files holding them, one per line'

export interface KeysInput {
  inline: TrustedKeys
  paths: string[]
}

export function parsePublicKeysInput(raw: string): KeysInput {
  // Never quote the input back: it may hold a pasted private key.
  let scanned
  try {
    scanned = scanKeys(raw, 'public-keys', { paths: true })
  } catch (err) {
    if (!(err instanceof SignatureFormatError)) throw err
    throw new InputFormError('(key text not shown)', `${PUBLIC_KEYS_FORM} (${err.message})`)
  }
  // A line of key text that is not inside a whole block is a key pasted without its BEGIN line,
  // not a path: say so, rather than "<the key body> does not exist".
  const stray = scanned.paths.filter((p) => shapeOfLine(p) === 'key-text').length
  if (stray > 0) {
    throw new InputFormError(
      '(key text not shown)',
      `${PUBLIC_KEYS_FORM} (${stray} line${stray === 1 ? '' : 's'} of \`public-keys\` hold key text outside a whole -----BEGIN ...----- to -----END ...----- block: paste the whole PEM block, or give the path of the key file)`,
    )
  }
  return { inline: scanned.keys, paths: [...new Set(scanned.paths)] }
}

export const NAMESPACE_FORM = 'an SSHSIG namespace: printable characters without spaces, such as file or git'

export function parseNamespace(raw: string): string {
  const v = raw.trim()
  if (!/^[\x21-\x7e]+$/.test(v)) throw new InputFormError(raw, NAMESPACE_FORM)
  return v
}

export const policySignaturesInputs = {
  files: input.custom(
    'list',
    FILES_FORM,
    parseGlobs,
  )('Glob patterns of the policy files, one per line, relative to the workspace; each must match at least one file. `!pattern` excludes.', {
    required: true,
  }),
  'public-keys': input.custom(
    'list',
    PUBLIC_KEYS_FORM,
    parsePublicKeysInput,
  )('Trusted PEM public keys (Ed25519, ECDSA, RSA) and minisign public keys, written inline or as paths of key files, one per line.', {
    secret: keyInputSecrets,
  }),
  'allowed-signers': input.string(
    'An OpenSSH allowed_signers file trusted for SSH signatures (principals, namespaces=, valid-after, valid-before).',
  ),
  namespace: input.custom(
    'string',
    NAMESPACE_FORM,
    parseNamespace,
  )('The namespace SSH signatures must be made for (ssh-keygen -Y sign -n).', {
    default: 'file',
  }),
}

const r = rules(policySignaturesInputs)

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const policySignaturesAction = {
  title: 'Policy signatures',
  description:
    'Verify that every policy file carries a valid signature from a trusted key (OpenSSH SSHSIG, minisign, Sigstore bundle, cosign, raw PEM-key signatures).',
  branding: { icon: 'lock', color: 'green' },
  rules: [r.atLeastOne('public-keys', 'allowed-signers')],
  example: {
    files: 'policies/*.json',
    'public-keys': 'keys/policy-signer.pub',
  },
} satisfies ActionMeta
