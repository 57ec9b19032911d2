/** The inputs of evidence, each with its description, default and form. */
import type { ActionMeta } from '../../core/gate.js'
import { input, rules } from '../../core/inputs.js'
import { keyInputSecrets } from '../../lib/signing/key-input.js'

export const evidenceInputs = {
  path: input.string('Folder holding the evidence files (relative to the workspace).', { required: true }),
  manifest: input.string(
    'SHA-256 manifest, relative to `path`: GNU `sha256sum` lines (`<hex>  <file>`) or BSD `--tag` lines (`SHA256 (<file>) = <hex>`).',
    { default: 'SHA256SUMS' },
  ),
  'extra-files': input.oneOf(['warn', 'fail', 'ignore'])(
    'What a file below `path` that the manifest does not list gives: `warn`, `fail` or `ignore`.',
    {
      default: 'warn',
    },
  ),
  signature: input.string(
    'Detached signature of the manifest (a path relative to the workspace). When `public-key` or `hmac-key` is given and this is empty, `<manifest>.sig` beside the manifest is used.',
  ),
  'public-key': input.string(
    'Public key that signed the manifest: PEM (ECDSA P-256 as cosign uses, Ed25519 or RSA), inline or as a path. The signature may be base64 (cosign) or raw bytes (openssl).',
    { secret: keyInputSecrets },
  ),
  'hmac-key': input.string('Secret key of a hex HMAC-SHA256 signature of the manifest (`openssl dgst -sha256 -hmac`).', { secret: true }),
  ledger: input.string(
    'A hash-chained ledger (`ledger.jsonl`, a path relative to the workspace) to verify: the first record edited, removed, reordered or inserted is named.',
  ),
}

const r = rules(evidenceInputs)

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const evidenceAction = {
  title: 'Evidence integrity',
  description:
    "Verify an evidence folder against its SHA-256 manifest (sha256sum or BSD --tag), the manifest's signature (ECDSA/cosign, Ed25519, RSA or HMAC) and a hash-chained ledger.",
  branding: { icon: 'lock', color: 'green' },
  rules: [r.notBoth('public-key', 'hmac-key')],
  example: {
    path: 'evidence/rc-proof',
    'public-key': 'evidence/release.pub',
    'extra-files': 'fail',
  },
} satisfies ActionMeta
