/**
 * The checklist: every gate of a `cutover.yml`, run concurrently, each to its own result.
 * Shared by the root action and `cutover check`, so a laptop rehearsal gives CI's verdict.
 */
import path from 'node:path'
import * as z from 'zod'
import { parse as parseYaml } from 'yaml'
import type { Config, GateEntry } from './config.js'
import { configSchema, decideSchema, rolloutSchema } from './config.js'
import { commonOutputs, runGate, type ActionMeta, type Gate, type GateContext } from './gate.js'
import { commonInputs, input, inputsJsonSchema, secretValues, type JsonSchema } from './inputs.js'
import { InputFormError } from './units.js'
import { didYouMean } from '../lib/suggest.js'
import { makeRedactor } from './redact.js'
import { check, type GateResult } from './result.js'
import type { GateRow } from './summary.js'
import type { Language } from './i18n.js'

export type Registry = Record<string, Gate>

export interface ChecklistRun {
  rows: (GateRow & { outputs: Record<string, string> })[]
  /** Values to mask, gathered from every gate's secret inputs. */
  secrets: string[]
}

/**
 * Selects the gates named by `only`: ids, and `uses:<gate>` for every gate of that kind (none when
 * cutover.yml has none). Unknown ids, a `uses:` of no gate, and a selection of nothing are refused.
 */
export function selectGates(config: Config, only: string[] | undefined, known?: string[]): GateEntry[] {
  if (!only?.length) return config.gates
  const ids = new Set(config.gates.map((g) => g.id))
  const kinds = only.filter((o) => o.startsWith('uses:')).map((o) => o.slice('uses:'.length))
  const named = only.filter((o) => !o.startsWith('uses:'))
  const unknown = named.filter((id) => !ids.has(id))
  if (unknown.length)
    throw new Error(`--only names ${unknown.map((u) => `"${u}"`).join(', ')}, not in ${config.file}; its gates are ${[...ids].join(', ')}`)
  const notGates = known ? kinds.filter((k) => !known.includes(k)) : []
  if (notGates.length)
    throw new Error(
      `--only names ${notGates.map((k) => `"uses:${k}"`).join(', ')}, and no gate is called that; gates are ${known!.join(', ')}`,
    )
  const selected = config.gates.filter((g) => named.includes(g.id) || kinds.includes(g.uses))
  if (selected.length === 0)
    throw new Error(`--only ${only.join(',')} selects no gate of ${config.file}; its gates are ${[...ids].join(', ')}`)
  return selected
}

export async function runChecklist(
  config: Config,
  registry: Registry,
  ctx: GateContext,
  opts: { only?: string[]; language: Language; annotatePath?: string; idSuffix?: string; set?: Record<string, string> },
): Promise<ChecklistRun> {
  // A suffix tells apart runs of the same gate at several steps (`canary-25`, `canary-50`); `set`
  // gives this run's own inputs (the instant of this promotion, its hold) over the config's.
  const entries = selectGates(config, opts.only, Object.keys(registry)).map((e) => ({
    ...e,
    ...(opts.idSuffix ? { id: e.id + opts.idSuffix } : {}),
    ...(opts.set ? { with: { ...e.with, ...opts.set } } : {}),
  }))
  const annotate = opts.annotatePath ?? config.file
  // Every gate's secrets are known before any gate runs, so no progress line can carry one.
  const secrets = entries.flatMap((e) => (registry[e.uses] ? secretValues(registry[e.uses].inputs, e.with) : []))
  const redact = makeRedactor(secrets)
  const gateCtx: GateContext = {
    ...ctx,
    log: (line) => ctx.log(redact(line)),
    cwd: path.resolve(ctx.cwd, path.dirname(config.file)),
    language: opts.language,
    catalog: ctx.catalog ?? registry,
  }
  const rows = await Promise.all(
    entries.map(async (entry) => {
      const gate = registry[entry.uses]
      if (!gate) return unknownGate(entry, registry, annotate, ctx)
      // Gates run concurrently: each progress line names its gate, or three "round 1" lines say nothing.
      const name = entry.uses === entry.id ? entry.id : `${entry.uses} ${entry.id}`
      const result = await runGate(
        gate,
        entry.with,
        { ...gateCtx, log: (line) => gateCtx.log(`${name}: ${line}`) },
        { id: entry.id, where: `${config.file} gate "${entry.id}"` },
      )
      // Point input problems at the gate's line in cutover.yml.
      if (result.inputError) for (const c of result.checks) c.location = { path: annotate, line: entry.line }
      return { result, category: gate.category, criteria: gate.criteria[opts.language], outputs: result.outputs }
    }),
  )
  return { rows, secrets }
}

function unknownGate(entry: GateEntry, registry: Registry, annotate: string, ctx: GateContext) {
  const now = ctx.now().toISOString()
  const known = Object.keys(registry).join(', ')
  const c = check(
    'fail',
    'inputs',
    `uses: ${entry.uses}`,
    `one of ${known}`,
    `Could not run the gate: gate "${entry.id}" uses \`${entry.uses}\`, which is not a gate${didYouMean(entry.uses, Object.keys(registry))}; write one of ${known}.`,
    { path: annotate, line: entry.line },
  )
  const result: GateResult = {
    id: entry.id,
    gate: entry.uses,
    status: 'fail',
    summary: `${entry.id}: FAIL: ${c.message}`,
    checks: [c],
    metrics: {},
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
  }
  return { result, category: '-', criteria: entry.uses, outputs: {} }
}

/**
 * JSON Schema of `cutover.yml` (committed as cutover.schema.json, printed by `cutover schema`): per
 * gate kind its inputs from the same specs that parse them, the required ones and the rules over
 * several; the rest of the file from the zod schemas that parse it. Gates in name order.
 */
export function configJsonSchema(registry: Registry): JsonSchema {
  const { $schema, ...id } = z.toJSONSchema(configSchema.shape.gates.element.shape.id, { io: 'input' })
  const entry = (g: Gate): JsonSchema => {
    const needsWith = Object.values(g.inputs).some((s) => s.required && s.default === undefined) || (g.rules ?? []).some((r) => r.needsWith)
    return {
      type: 'object',
      description: g.description ?? g.name,
      properties: {
        id,
        uses: { const: g.name },
        with: needsWith ? inputsJsonSchema(g.inputs, g.rules) : { anyOf: [inputsJsonSchema(g.inputs, g.rules), { type: 'null' }] },
      },
      required: needsWith ? ['id', 'uses', 'with'] : ['id', 'uses'],
      additionalProperties: false,
    }
  }
  const gates = Object.values(registry)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(entry)
  const rest = z.toJSONSchema(
    z
      .strictObject({ version: z.literal(1), rollout: rolloutSchema.optional(), decide: decideSchema.optional() })
      .meta({ title: 'cutover.yml', description: 'Cutover Gates checklist: the gates to run before a production cutover.' }),
    { io: 'input', unrepresentable: 'any' },
  ) as JsonSchema & { properties: Record<string, unknown>; required: string[] }
  return {
    ...rest,
    $schema,
    properties: {
      version: rest.properties.version,
      gates: { type: 'array', minItems: 1, items: { anyOf: gates } },
      ...Object.fromEntries(Object.entries(rest.properties).filter(([k]) => k !== 'version')),
    },
    required: ['version', 'gates'],
  }
}

const { id: _id, ...checklistCommon } = commonInputs

export const SET_FORM = 'a YAML mapping of gate inputs to values, one `name: value` per line, such as `hold: 15m`'

/** `set`: a flat YAML mapping of input names to scalar values, every value as the string an action receives. */
export function parseSet(raw: string): Record<string, string> {
  let value: unknown
  try {
    value = parseYaml(raw)
  } catch {
    throw new InputFormError(raw, SET_FORM)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputFormError(raw, SET_FORM)
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || !['string', 'number', 'boolean'].includes(typeof v))
      throw new InputFormError(raw, `${SET_FORM}; \`${name}\` is not a plain input name with a single value`)
    out[name] = String(v)
  }
  if (Object.keys(out).length === 0) throw new InputFormError(raw, SET_FORM)
  return out
}

/** Inputs of the checklist action (the root `action.yml`). */
export const checklistInputs = {
  config: input.string('Path of the `cutover.yml` that lists the gates, relative to the workspace.', { default: 'cutover.yml' }),
  only: input.custom('list', 'gate ids separated by newlines or commas', (s) => s.split(/[\s,]+/).filter(Boolean))(
    'Run only these gate ids (separated by newlines or commas), and with `uses:<gate>` every gate of that kind, such as `uses:window`; all gates when empty.',
  ),
  'id-suffix': input.custom('string', 'letters, digits, `.`, `_` and `-`', (s) => {
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(s.trim())) throw new InputFormError(s, 'letters, digits, `.`, `_` and `-`, at most 40')
    return s.trim()
  })('Appended to every gate id of this run (check runs and reports), e.g. `-25` for the 25% canary step.'),
  set: input.custom(
    'string',
    SET_FORM,
    parseSet,
  )(
    'Inputs given to every selected gate for this run, over those of `cutover.yml`: a YAML mapping such as `not-before: 2026-03-02T12:00:00Z` and `hold: 15m` (what the reusable workflow sets for a canary step). A name the gate does not take fails that gate.',
  ),
  ...checklistCommon,
  // The common inputs, said of every gate of the run.
  sha: {
    ...checklistCommon.sha,
    description:
      'The commit the check runs and reports belong to; default the pull request head on `pull_request` events, else `GITHUB_SHA`.',
  },
  'report-dir': { ...checklistCommon['report-dir'], description: 'Folder the JSON reports are written to, one `<id>.json` per gate.' },
  'check-run': {
    ...checklistCommon['check-run'],
    description: 'Publish a check run `cutover / <id>` per gate (needs `checks: write`; without it, warn and carry on).',
  },
}

/** What the checklist action (the root action.yml) says of itself, beside checklistInputs. */
export const checklistAction = {
  title: 'The checklist',
  description: 'Run the gates of a cutover.yml concurrently; publish a check run per gate and a Go/No-Go job summary.',
  branding: { icon: 'check-square', color: 'green' },
  example: { config: 'cutover.yml', only: 'uses:readyz\nuses:window' },
} satisfies ActionMeta

/** The checklist action's outputs (src/actions/runner.ts sets them). */
export const checklistOutputs: Record<string, string> = {
  status: 'The worst gate status: `pass`, `warn` or `fail`.',
  report: 'The folder holding the JSON reports.',
  summary: 'One line saying how many gates passed.',
  decision: '`GO` or `NO-GO` over the gates that ran, by the `decide:` rule of the config (a warning is NO-GO unless `allow-warn`).',
  gates: 'The ids of the gates this run selected, comma-separated (what `decide` should require).',
  uses: 'The kinds of gate this run selected (their `uses:`), comma-separated, such as `readyz,window`.',
  'ledger-head': commonOutputs['ledger-head'],
}
