/**
 * `cutover validate`: everything about a cutover.yml that can be known without measuring. The
 * file, each gate's kind and inputs (the gates' own parsers), and every file, folder, glob and key
 * the inputs name, resolved as the gates resolve them (relative to cutover.yml's folder). Nothing is
 * probed: no URL is fetched, no command run, no database opened. A team runs it in a pull request.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { checklistInputs } from '../core/checklist.js'
import { ConfigError, loadConfig, type GateEntry } from '../core/config.js'
import { InputError, parseInputs, secretValues } from '../core/inputs.js'
import { makeRedactor } from '../core/redact.js'
import { gates } from '../gates/index.js'
import { globEntries, isGlob } from '../lib/glob.js'
import { shapeOf, shownKeyValue } from '../lib/signing/key-input.js'
import { KeyError, parsePrivateKey, parsePublicKey } from '../lib/signing/signature.js'
import { didYouMean } from '../lib/suggest.js'
import { UsageError, defaultOf, parseFlags, type Command } from './command.js'

type Kind = 'file' | 'folder' | 'entry'

/** Something an input names that must be there before the cutover: paths or globs, or a PEM key inline or in a file. */
type Reference =
  { input: string; kind: Kind; patterns: string[]; base?: string } | { input: string; key: 'public' | 'private' | 'any'; value: string }

type Values = Record<string, unknown>
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined)
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const refs = (input: string, kind: Kind, patterns: (string | undefined)[], base?: string): Reference[] => {
  const given = patterns.filter((p): p is string => p !== undefined)
  return given.length ? [{ input, kind, patterns: given, ...(base ? { base } : {}) }] : []
}
const key = (input: string, key: 'public' | 'private' | 'any', value: unknown): Reference[] =>
  str(value) ? [{ input, key, value: str(value)! }] : []
const isUrl = (v: string) => /^https?:\/\//i.test(v.trim())

/**
 * Per gate, what its parsed inputs name on disk. Only what must exist before the run: a file the
 * gate itself writes (a result file, a restored folder, a recorded baseline) is not looked for.
 */
const REFERENCES: Record<string, (s: Values) => Reference[]> = {
  evidence: (s) => [
    ...refs('path', 'folder', [str(s.path)]),
    ...refs('manifest', 'file', [str(s.manifest)], str(s.path)),
    ...refs('signature', 'file', [str(s.signature)]),
    ...refs('ledger', 'file', [str(s.ledger)]),
    ...key('public-key', 'public', s['public-key']),
  ],
  'key-rotation': (s) => [
    ...refs('certificates', 'file', list(s.certificates)),
    ...refs('trusted-ca', 'file', list(s['trusted-ca'])),
    ...refs('inventory', 'file', list(s.inventory)),
  ],
  'policy-signatures': (s) => {
    const files = s.files as { include?: string[] } | undefined
    const keys = s['public-keys'] as { paths?: string[] } | undefined
    return [
      ...refs('files', 'file', files?.include ?? []),
      ...refs('public-keys', 'file', keys?.paths ?? []),
      ...refs('allowed-signers', 'file', [str(s['allowed-signers'])]),
    ]
  },
  'security-alerts': (s) => [...refs('sarif', 'file', list(s.sarif)), ...refs('sbom', 'file', list(s.sbom))],
  canary: (s) => refs('source', 'file', [str(s.source) && !isUrl(str(s.source)!) ? str(s.source) : undefined]),
  'dr-drill': (s) => [
    ...refs('source-manifest', 'file', [str(s['source-manifest'])]),
    ...refs('backup-path', 'entry', [str(s['backup-path'])]),
  ],
  command: (s) => refs('working-directory', 'folder', [str(s['working-directory'])]),
  decide: (s) => [
    ...refs('config', 'file', [str(s.config)]),
    ...refs('approvals', 'file', [str(s.approvals) && !/^\s*[[{]/.test(str(s.approvals)!) ? str(s.approvals) : undefined]),
    ...key('signing-key', 'private', s['signing-key']),
  ],
  notify: (s) => refs('config', 'file', [str(s.config)]),
}

const KIND_WORD: Record<Kind, string> = { file: 'a file', folder: 'a folder', entry: 'a file or folder' }

/** Problems with one path or glob; a glob must match at least one entry of the right kind. */
async function checkPaths(ref: Extract<Reference, { patterns: string[] }>, cwd: string): Promise<string[]> {
  const base = ref.base ? path.resolve(cwd, ref.base) : cwd
  const problems: string[] = []
  for (const pattern of ref.patterns) {
    let matches
    try {
      matches = await globEntries(pattern, base)
    } catch (err) {
      // Not "matches nothing": the pattern was not looked at (an old Node without fs.glob, a folder that cannot be read).
      problems.push(`\`${ref.input}\` pattern ${pattern} could not be looked for: ${err instanceof Error ? err.message : String(err)}`)
      continue
    }
    const fits = matches.filter((m) => ref.kind === 'entry' || m.kind === ref.kind)
    if (fits.length) continue
    const where = ref.base ? ` in ${ref.base}` : ''
    if (matches.length === 0)
      problems.push(
        isGlob(pattern)
          ? `\`${ref.input}\` pattern ${pattern} matches nothing${where}`
          : `\`${ref.input}\` names ${pattern}${where}, which does not exist (paths are relative to the folder of cutover.yml)`,
      )
    else
      problems.push(
        `\`${ref.input}\` names ${pattern}${where}, which is ${matches[0].kind === 'folder' ? 'a folder' : 'not a regular file or folder'}, not ${KIND_WORD[ref.kind]}`,
      )
  }
  return problems
}

/** Problems with a key: its file must be there, and a PEM key must parse. Key text is never quoted. */
async function checkKey(ref: Extract<Reference, { key: string }>, cwd: string): Promise<string[]> {
  let pem = ref.value
  if (!ref.value.includes('-----BEGIN')) {
    if (shapeOf(ref.value) === 'key-text')
      return [
        `\`${ref.input}\` holds key text (not shown) without its -----BEGIN ...----- line: give the whole PEM block or the path of the key file`,
      ]
    const shown = shownKeyValue(ref.value, `the file named by \`${ref.input}\``)
    const file = path.resolve(cwd, ref.value.trim())
    const st = await stat(file).catch(() => undefined)
    if (!st) return [`\`${ref.input}\` names ${shown}, which does not exist (paths are relative to the folder of cutover.yml)`]
    if (!st.isFile()) return [`\`${ref.input}\` names ${shown}, which is not a file`]
    if (st.size > 1024 * 1024) return [`\`${ref.input}\` names ${shown}, which is larger than 1 MiB: it is not a key`]
    pem = await readFile(file, 'utf8')
  }
  try {
    if (ref.key === 'public') parsePublicKey(pem)
    else if (ref.key === 'private') parsePrivateKey(pem)
    return []
  } catch (err) {
    if (err instanceof KeyError) return [`\`${ref.input}\`: ${err.message}`]
    throw err
  }
}

export interface GateValidation {
  entry: GateEntry
  problems: string[]
  /** Paths, globs and keys looked at. */
  references: number
}

/** Every gate of the config checked; problems as sentences, secrets masked. Reads files, probes nothing. */
export async function validateGates(entries: GateEntry[], file: string): Promise<GateValidation[]> {
  const cwd = path.dirname(file)
  return Promise.all(
    entries.map(async (entry): Promise<GateValidation> => {
      const gate = gates[entry.uses]
      if (!gate)
        return {
          entry,
          references: 0,
          problems: [
            `\`uses: ${entry.uses}\` is not a gate${didYouMean(entry.uses, Object.keys(gates))}; gates are ${Object.keys(gates).join(', ')}`,
          ],
        }
      const redact = makeRedactor(secretValues(gate.inputs, entry.with))
      let settings: Values
      try {
        settings = parseInputs(gate.inputs, entry.with, `gate "${entry.id}"`) as Values
      } catch (err) {
        if (err instanceof InputError) return { entry, references: 0, problems: err.problems.map(redact) }
        throw err
      }
      const references = REFERENCES[entry.uses]?.(settings) ?? []
      const problems = (await Promise.all(references.map((r) => ('patterns' in r ? checkPaths(r, cwd) : checkKey(r, cwd))))).flat()
      return {
        entry,
        references: references.reduce((n, r) => n + ('patterns' in r ? r.patterns.length : 1), 0),
        problems: problems.map(redact),
      }
    }),
  )
}

const CONFIG = defaultOf(checklistInputs.config)

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a cutover.yml, every input and every file and key it names; probe nothing',
  usage: `Usage: cutover validate [--config <file>]

Checks the config and, for every gate, its kind, its inputs (as the gate parses them) and every
file, folder, glob and key they name. Nothing is probed: no URL fetched, no command run, no
database opened. Run it in a pull request before the cutover. \${VAR} references must be set.

  --config <file>   the checklist (default: ${CONFIG})

Exit codes: 0 valid, 2 a problem (each one is printed).`,
  async run(args) {
    const { values } = parseFlags(args, { config: { type: 'string', default: CONFIG } })
    if (values.config.trim() === '') throw new UsageError('--config names no file; give the path of a cutover.yml')
    const file = path.resolve(values.config)
    let config
    try {
      config = await loadConfig(file, process.env)
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      process.stdout.write(`✗ ${err.message}\n`)
      process.stdout.write(`${values.config} is not valid; nothing was probed.\n`)
      return 2
    }
    const results = await validateGates(config.gates, file)
    for (const r of results) {
      const name = `${r.entry.id} (${r.entry.uses}, line ${r.entry.line})`
      if (r.problems.length === 0)
        process.stdout.write(
          `✓ ${name}: inputs valid${r.references ? `; the ${r.references === 1 ? 'path or key it names is' : `${r.references} paths and keys it names are`} there` : ''}\n`,
        )
      else for (const p of r.problems) process.stdout.write(`✗ ${name}: ${p}\n`)
    }
    const bad = results.filter((r) => r.problems.length).length
    if (bad) {
      process.stdout.write(`${values.config} is not valid: ${bad} of ${results.length} gates have problems; nothing was probed.\n`)
      return 2
    }
    process.stdout.write(
      `${values.config} is valid: ${results.length} gate${results.length === 1 ? '' : 's'} checked; nothing was probed.\n`,
    )
    return 0
  },
}
