/**
 * `cutover.yml`: a version and a list of gates, each `id`, `uses` (a gate name) and `with`
 * (exactly that gate's inputs). String values may name environment variables as `${NAME}`,
 * so secrets and per-run URLs stay out of the file.
 */
import path from 'node:path'
import * as z from 'zod'
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml'
import { didYouMean } from '../lib/suggest.js'
import { NotRegularFileError, TooLargeError, readRegularFile } from './files.js'
import { ID_FORM, ID_PATTERN } from './report.js'
import { DURATION_FORM, parseDuration } from './units.js'
import { DEFAULT_MAX_REPORT_AGE, DEFAULT_MAX_REPORT_AGE_MS, type DecisionSettings } from './verdict.js'

export class ConfigError extends Error {}

/** A checklist is a few KiB; anything this large is not one. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024

export interface GateEntry {
  id: string
  uses: string
  with: Record<string, unknown>
  /** 1-based line of the entry in the file, for annotations. */
  line: number
}

export interface Config {
  file: string
  version: 1
  gates: GateEntry[]
  rollout?: Rollout
  /** The decision settings every surface applies (`decide:`), defaults filled in. */
  decide: DecisionSettings
}

const entrySchema = z.strictObject({
  id: z.string().regex(ID_PATTERN, `an id made of ${ID_FORM}`),
  uses: z.string().min(1),
  with: z.record(z.string(), z.unknown()).nullish(),
})

/** How the cutover rolls out: used by `cutover rehearse` (and documented for the workflow). */
export const rolloutSchema = z
  .strictObject({
    steps: z.array(z.number().int().min(1).max(100)).min(1).default([10, 25, 50, 100]),
    canary: z.string().optional().meta({ description: 'Gate id evaluated after each promotion step.' }),
    verify: z.array(z.string()).default([]).meta({ description: 'Gate ids run after the last step (post-cutover verification).' }),
    promote: z.string().optional().meta({ description: 'Command run under bash for each step; $WEIGHT holds the percentage.' }),
    rollback: z.string().optional().meta({ description: 'Command run under bash when a step or the verification fails.' }),
    holds: z
      .record(
        z.string().regex(/^\d{1,3}$/, 'a step weight such as 25'),
        z.string().refine((v) => {
          try {
            return parseDuration(v) >= 0
          } catch {
            return false
          }
        }, `expected ${DURATION_FORM}`),
      )
      .optional()
      .transform((h) => (h ? Object.fromEntries(Object.entries(h).map(([w, d]) => [Number(w), parseDuration(d)])) : undefined))
      .meta({
        description:
          'Minimum hold per step weight before its canary may pass, e.g. {10: 15m, 25: 30m, 50: 30m, 100: 60m} (the seed checklist).',
      }),
  })
  .meta({ description: 'The promotion plan: canary steps, the gate judging each, and the promote/rollback commands.' })

export type Rollout = z.output<typeof rolloutSchema>

/** The GO / NO-GO settings: read by `cutover check`, the summary, `cutover rehearse`, decide and notify alike. */
export const decideSchema = z
  .strictObject({
    required: z
      .array(z.string().regex(ID_PATTERN, `an id made of ${ID_FORM}`))
      .min(1)
      .optional()
      .meta({ description: 'Gate ids that must have reported (and passed) for a GO.' }),
    'allow-warn': z
      .boolean()
      .default(false)
      .meta({ description: 'Let a gate that warned count towards GO. Default false: a warning is NO-GO.' }),
    'max-report-age': z
      .string()
      .refine((v) => {
        try {
          return parseDuration(v) > 0
        } catch {
          return false
        }
      }, `expected ${DURATION_FORM}, above zero`)
      .default(DEFAULT_MAX_REPORT_AGE)
      .meta({ description: `A report older than this is stale, so NO-GO. Default ${DEFAULT_MAX_REPORT_AGE}.` }),
  })
  .meta({ description: 'The decision settings: which gates are required, whether a warning may be GO, how old a report may be.' })

export const configSchema = z.strictObject({
  version: z.literal(1),
  gates: z.array(entrySchema).min(1, 'list at least one gate'),
  rollout: rolloutSchema.optional(),
  decide: decideSchema.optional(),
})

export const DEFAULT_DECISION: DecisionSettings = { allowWarn: false, maxReportAgeMs: DEFAULT_MAX_REPORT_AGE_MS }

function where(pathParts: PropertyKey[]): string {
  return (
    pathParts
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || 'top level'
  )
}

/** `:line:column` of the deepest node of `pathParts` the document has, or nothing when it has none of it. */
function at(doc: Document, lines: LineCounter, pathParts: PropertyKey[]): string {
  for (let n = pathParts.length; n > 0; n--) {
    const node = doc.getIn(pathParts.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined
    // A key has no node of its own: its pair's value is found instead, one line below for a block.
    const key =
      n === pathParts.length && typeof pathParts[n - 1] === 'string'
        ? keyNode(doc, pathParts.slice(0, n - 1), String(pathParts[n - 1]))
        : undefined
    const offset = (key ?? node)?.range?.[0]
    if (offset !== undefined) {
      const p = lines.linePos(offset)
      return `:${p.line}:${p.col}`
    }
  }
  return ''
}

function keyNode(doc: Document, parent: PropertyKey[], key: string): { range?: [number, number, number] } | undefined {
  const map = parent.length ? doc.getIn(parent as unknown[], true) : doc.contents
  if (!isMap(map)) return undefined
  const pair = map.items.find((p) => (p.key as { value?: unknown } | null)?.value === key)
  return (pair?.key ?? undefined) as { range?: [number, number, number] } | undefined
}

/** Replaces `${NAME}` in strings with the environment's value; an unset name is an error. */
export function interpolate(value: unknown, env: Record<string, string | undefined>, at: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name]
      if (v === undefined) throw new ConfigError(`${at} uses \${${name}}, but the environment variable ${name} is not set`)
      return v
    })
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, at))
  // Structured inputs (a smoke gate's steps) carry URLs and header values deep inside.
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, at)]))
  return value
}

/**
 * Parses cutover.yml. Without `env`, `${NAME}` references are left as written: enough for readers
 * that need only the decision settings or the gate ids (decide, notify), not the gates' inputs.
 */
export function parseConfig(text: string, file: string, env: Record<string, string | undefined> | undefined): Config {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length) {
    const e = doc.errors[0]
    const pos = e.linePos?.[0] ?? (e.pos?.[0] !== undefined ? lines.linePos(e.pos[0]) : undefined)
    // file:line:column, the form editors and terminals turn into a link to the spot.
    throw new ConfigError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''} is not valid YAML: ${e.message.split('\n')[0]}`)
  }
  const parsed = configSchema.safeParse(doc.toJS())
  if (!parsed.success) {
    // A misspelt key (`gate:`) also leaves the right one missing: the misspelling is the news.
    const i = parsed.error.issues.find((x) => x.code === 'unrecognized_keys') ?? parsed.error.issues[0]
    const keys = i.code === 'unrecognized_keys' ? i.keys : []
    const known = Object.keys(i.path.length === 0 ? configSchema.shape : i.path.length === 2 ? entrySchema.shape : {})
    const hint = keys.length === 1 ? didYouMean(keys[0], known) : ''
    throw new ConfigError(
      `${file}${at(doc, lines, [...i.path, ...keys.slice(0, 1)])}: ${where(i.path)}: ${i.message}${hint}. Expected \`version: 1\` and \`gates:\`, a list of { id, uses, with }`,
    )
  }
  const seq = isMap(doc.contents) ? doc.contents.get('gates', true) : undefined
  const seen = new Set<string>()
  const gates = parsed.data.gates.map((g, i) => {
    if (seen.has(g.id))
      throw new ConfigError(`${file}${at(doc, lines, ['gates', i, 'id'])}: gate id "${g.id}" appears twice; ids must be unique`)
    seen.add(g.id)
    const node = isSeq(seq) ? seq.items[i] : undefined
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0]
    const withBlock: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(g.with ?? {}))
      withBlock[k] = env ? interpolate(v, env, `${file}: gate "${g.id}" input \`${k}\``) : v
    return { id: g.id, uses: g.uses, with: withBlock, line: offset === undefined ? 1 : lines.linePos(offset).line }
  })
  const rollout = parsed.data.rollout
  if (rollout) {
    for (const id of [rollout.canary, ...rollout.verify]) {
      if (id !== undefined && !seen.has(id))
        throw new ConfigError(`${file}: rollout names gate "${id}", which is not among its gates (${[...seen].join(', ')})`)
    }
  }
  const d = parsed.data.decide
  const unknown = (d?.required ?? []).filter((id) => !seen.has(id))
  if (unknown.length)
    throw new ConfigError(
      `${file}: decide.required names ${unknown.map((u) => `"${u}"`).join(', ')}, not among its gates (${[...seen].join(', ')})`,
    )
  const decide: DecisionSettings = d
    ? {
        ...(d.required ? { required: [...new Set(d.required)] } : {}),
        allowWarn: d['allow-warn'],
        maxReportAgeMs: parseDuration(d['max-report-age']),
      }
    : DEFAULT_DECISION
  return { file, version: 1, gates, ...(rollout ? { rollout } : {}), decide }
}

export async function loadConfig(file: string, env: Record<string, string | undefined> | undefined): Promise<Config> {
  let text: string
  try {
    text = (await readRegularFile(file, MAX_CONFIG_BYTES)).toString('utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ConfigError(
      code === 'ENOENT'
        ? `config file ${file} not found; write a cutover.yml (see \`cutover schema\`) or pass --config / the \`config\` input`
        : err instanceof NotRegularFileError || err instanceof TooLargeError
          ? `config file ${file} cannot be used: ${err.message}`
          : `config file ${file} could not be read (${code ?? String(err)})`,
    )
  }
  return parseConfig(text, file, env)
}

/** What a surface was told directly; anything absent comes from the config's `decide:` block, then the defaults. */
export interface DecisionOverrides {
  config?: string
  allowWarn?: boolean
  required?: string[]
  maxReportAgeMs?: number
}

/**
 * The decision settings a surface applies: its own inputs first, then `decide:` of the named
 * cutover.yml, then the defaults. An unreadable config is a problem sentence (the caller fails
 * closed on it), never a silent default.
 */
export async function resolveDecision(o: DecisionOverrides, cwd: string): Promise<{ settings: DecisionSettings; problem?: string }> {
  let fromConfig: DecisionSettings | undefined
  let problem: string | undefined
  if (o.config) {
    try {
      fromConfig = (await loadConfig(path.resolve(cwd, o.config), undefined)).decide
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err)
    }
  }
  const required = o.required ?? fromConfig?.required
  const settings: DecisionSettings = {
    allowWarn: o.allowWarn ?? fromConfig?.allowWarn ?? false,
    maxReportAgeMs: o.maxReportAgeMs ?? fromConfig?.maxReportAgeMs ?? DEFAULT_MAX_REPORT_AGE_MS,
    ...(required ? { required } : {}),
  }
  return { settings, ...(problem ? { problem } : {}) }
}
