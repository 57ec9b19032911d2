/**
 * One schema per gate serves three readers: the action's `INPUT_*` variables (always strings),
 * the `with:` block of `cutover.yml` (YAML scalars and lists), and editors (`cutover schema`).
 * Each input is declared once with its description, its default exactly as `action.yml` writes
 * it, and a parser; `gateSchema` turns the declarations into a zod object that parses them, and
 * inputsJsonSchema into the JSON Schema of cutover.schema.json.
 */
import * as z from 'zod'
import { LANGUAGES } from './i18n.js'
import { MIN_SECRET_LENGTH } from './redact.js'
import { embeddedUserinfoSecrets } from '../lib/url.js'
import { didYouMean } from '../lib/suggest.js'
import {
  DURATION_FORM,
  InputFormError,
  PERCENT_FORM,
  RATIO_FORM,
  STATUS_FORM,
  parseDuration,
  parseList,
  parsePercent,
  parseRatio,
  parseStatusRanges,
} from './units.js'

/**
 * How a value may be written in `cutover.yml` (the action always receives a string). `yaml` takes
 * any structure (a list of mappings), which reaches the parser as the YAML text an action would get.
 */
type YamlShape = 'string' | 'list' | 'boolean' | 'integer' | 'yaml'

export interface InputSpec<T = unknown> {
  description: string
  /** The default as written in action.yml; absent means no default. */
  default?: string
  required?: boolean
  /** Values derived from this input that must be masked (header values, keys, URLs). */
  secret?: boolean | ((raw: string) => string[])
  /** The accepted form, quoted in error messages. */
  form: string
  shape: YamlShape
  /** The only values it takes, when they are a short list (`oneOf`): an editor offers them. */
  values?: readonly string[]
  parse: (raw: string) => T
  /**
   * Shape `yaml`: writes a structured cutover.yml value as the text an action would receive. Given
   * by the spec that parses it (which loads a YAML library anyway), so that core, which every
   * action loads at start-up, does not. Without it the value is written as JSON, which YAML reads
   * the same.
   */
  text?: (value: unknown) => string
}

export type InputSpecs = Record<string, InputSpec>
export type Settings<S extends InputSpecs> = { [K in keyof S]: S[K] extends InputSpec<infer T> ? T : never }

interface Opts {
  default?: string
  required?: boolean
  secret?: InputSpec['secret']
}
/** An input with a default or marked required always has a value; others may be undefined. */
type Valued<T, O> = O extends { default: string } | { required: true } ? T : T | undefined

function spec<T>(shape: YamlShape, form: string, parse: (raw: string) => T, extra: Pick<InputSpec, 'values' | 'text'> = {}) {
  return <const O extends Opts = Record<never, never>>(description: string, opts?: O): InputSpec<Valued<T, O>> =>
    ({ description, form, shape, ...extra, parse, ...opts }) as InputSpec<Valued<T, O>>
}

const BOOLEAN_FORM = 'true or false'
const SHA_FORM = 'a full 40-character commit SHA'
export const input = {
  string: spec('string', 'text', (s) => s.trim()),
  list: spec('list', 'one or more values, one per line', (s) => {
    const items = parseList(s)
    if (items.length === 0) throw new InputFormError(s, 'one or more values, one per line')
    return items
  }),
  duration: spec('string', DURATION_FORM, parseDuration),
  percent: spec('string', PERCENT_FORM, parsePercent),
  ratio: spec('string', RATIO_FORM, parseRatio),
  statusRanges: spec('string', STATUS_FORM, parseStatusRanges),
  boolean: spec('boolean', BOOLEAN_FORM, (s) => {
    const v = s.trim().toLowerCase()
    if (v === 'true') return true
    if (v === 'false') return false
    throw new InputFormError(s, BOOLEAN_FORM)
  }),
  /** A whole number within [min, max]. */
  integer: (min = 0, max = Number.MAX_SAFE_INTEGER) => {
    const form = `a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`
    return spec('integer', form, (s) => {
      const t = s.trim()
      if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) throw new InputFormError(s, form)
      return Number(t)
    })
  },
  oneOf: <const T extends string>(values: readonly T[]) => {
    const form = `one of ${values.map((v) => `\`${v}\``).join(', ')}`
    return spec(
      'string',
      form,
      (s) => {
        const t = s.trim() as T
        if (!values.includes(t)) throw new InputFormError(s, form)
        return t
      },
      { values },
    )
  },
  /** A value with its own parser (e.g. `expect` assertions, headers). */
  custom: <T>(shape: YamlShape, form: string, parse: (raw: string) => T, text?: (value: unknown) => string) =>
    spec(shape, form, parse, text ? { text } : {}),
}

/** The inputs every gate action takes (PRODUCT.md §2). */
export const commonInputs = {
  id: input.string('Gate id: names the check run `cutover / <id>` and the report `<report-dir>/<id>.json`. Defaults to the action name.'),
  sha: spec('string', SHA_FORM, (s) => {
    if (!/^[0-9a-f]{40}$/i.test(s.trim())) throw new InputFormError(s, SHA_FORM)
    return s.trim().toLowerCase()
  })('The commit the check run and report belong to; default the pull request head on `pull_request` events, else `GITHUB_SHA`.'),
  'report-dir': input.string('Folder the JSON report is written to.', { default: 'cutover-reports' }),
  'check-run': input.boolean('Publish a check run `cutover / <id>` (needs `checks: write`; without it, warn and carry on).', {
    default: 'true',
  }),
  'github-token': input.string('Token for the GitHub API.', { default: '${{ github.token }}', secret: true }),
  'fail-on': input.oneOf(['fail', 'warn', 'never'])('The lowest status that fails the step: `fail`, `warn` or `never`.', {
    default: 'fail',
  }),
  language: input.oneOf(LANGUAGES)('Language of the job summary and check-run text: `en` or `tr`.', { default: 'en' }),
} satisfies InputSpecs

export type CommonSettings = Settings<typeof commonInputs>

/** Turns a YAML scalar or list into the string an action would receive. */
function toRaw(v: unknown, spec: InputSpec): string | undefined {
  if (v === undefined || v === null) return undefined
  const structured = (x: unknown) => typeof x === 'object' && x !== null
  if (structured(v) && (!Array.isArray(v) || v.some(structured))) return spec.text ? spec.text(v) : JSON.stringify(v)
  if (Array.isArray(v)) return v.map((x) => String(x)).join('\n')
  const s = String(v)
  return s.trim() === '' ? undefined : s
}

/** What the YAML may hold for each shape; strings are checked by the input's own parser. */
const RAW_SHAPES: Record<YamlShape, (error: string) => z.ZodType> = {
  string: (error) => z.union([z.string(), z.number()], { error }),
  list: (error) => z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], { error }),
  boolean: (error) => z.union([z.boolean(), z.string()], { error }),
  integer: (error) => z.union([z.number(), z.string()], { error }),
  yaml: () => z.unknown(),
}

function field(name: string, s: InputSpec) {
  return RAW_SHAPES[s.shape](`input \`${name}\`: expected ${s.form}`)
    .optional()
    .nullable()
    .transform((v, ctx) => {
      const raw = toRaw(v, s) ?? s.default
      if (raw === undefined) {
        if (s.required) {
          ctx.addIssue({ code: 'custom', message: `input \`${name}\` is required: give ${s.form}` })
          return z.NEVER
        }
        return undefined
      }
      try {
        return s.parse(raw)
      } catch (err) {
        const got = err instanceof InputFormError ? err.received : raw
        const shown = s.secret ? '(value hidden)' : JSON.stringify(got)
        // Any other error's message may quote the value (`Invalid URL: https://user:pw@…`): a secret input's error never uses it.
        const why = err instanceof InputFormError ? err.accepted : s.secret ? s.form : String((err as Error).message ?? err)
        ctx.addIssue({ code: 'custom', message: `input \`${name}\`: ${shown} is not valid; expected ${why}` })
        return z.NEVER
      }
    })
    .meta({
      description: describeInput(s),
      ...(s.default !== undefined ? { default: s.default } : {}),
    })
}

/**
 * One schema per spec object: building a zod object (and the parser zod compiles for it on its first
 * use) costs far more than a parse, and a checklist runs the same gate's spec hundreds of times.
 */
const schemas = new WeakMap<InputSpecs, z.ZodType>()

export function gateSchema<S extends InputSpecs>(specs: S): z.ZodType<Settings<S>> {
  let schema = schemas.get(specs)
  if (!schema) {
    const shape: Record<string, z.ZodType> = {}
    for (const [name, s] of Object.entries(specs)) shape[name] = field(name, s)
    schema = z.strictObject(shape)
    schemas.set(specs, schema)
  }
  return schema as unknown as z.ZodType<Settings<S>>
}

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
  }
}

/** Parses raw inputs or throws an InputError listing every problem in a sentence each. */
export function parseInputs<S extends InputSpecs>(specs: S, raw: Record<string, unknown>, where = 'input'): Settings<S> {
  const r = gateSchema(specs).safeParse(raw)
  if (r.success) return r.data
  const accepted = Object.keys(specs)
    .map((k) => `\`${k}\``)
    .join(', ')
  throw new InputError(
    r.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `${where} has no ${i.keys.map((k) => `\`${k}\``).join(', ')}${i.keys.length === 1 ? didYouMean(i.keys[0], Object.keys(specs)) : ''}; accepted inputs are ${accepted}`
        : i.message,
    ),
  )
}

// ---------------------------------------------------------------------------------------------
// Rules over several inputs

/** A fragment of JSON Schema (draft 2020-12). */
export type JsonSchema = Record<string, unknown>

/**
 * A rule that spans inputs each valid on its own (`source` or `prometheus-url`; `public-key` or
 * `hmac-key`, not both), as JSON Schema can say it: presence, absence, a value. The gate refuses
 * the same inputs when it runs, in its own sentence; a test proves that for every rule. Rules that
 * compare two values (a `wait` long enough for `consecutive`) JSON Schema cannot say: only the gate checks them.
 */
export interface InputRule {
  /** The rule in words, for the docs and the schema's `description`. */
  text: string
  /** Over the `with:` mapping: holds whenever the rule does. */
  schema: JsonSchema
  /** Broken by an empty `with:`, so a gate entry of cutover.yml needs one. */
  needsWith?: boolean
}

/** What an action receives as no value at all: nothing (`name:`), an empty list, blanks. */
const BLANK = { anyOf: [{ enum: [null, []] }, { type: 'string', pattern: '^\\s*$' }] }

/**
 * In JSON Schema: the input is written, and not as what counts as not writing it: nothing (`name:`),
 * blanks, an empty list, or its default (also as the YAML number or boolean it reads as).
 */
function givenSchema(specs: InputSpecs, name: string): JsonSchema {
  const d = specs[name]?.default
  const asDefault = d === undefined ? [] : [d, ...(d === 'true' || d === 'false' ? [d === 'true'] : /^\d+$/.test(d) ? [Number(d)] : [])]
  return {
    required: [name],
    properties: { [name]: { not: { anyOf: [...BLANK.anyOf, ...(asDefault.length ? [{ enum: asDefault }] : [])] } } },
  }
}

type Names<S extends InputSpecs> = Extract<keyof S, string>

/** The rule constructors over one gate's inputs: `rules(readyzInputs).atLeastOne(...)`. */
export function rules<S extends InputSpecs>(specs: S) {
  const code = (names: readonly string[]) => names.map((n) => `\`${n}\``)
  const or = (names: readonly string[]) => code(names).slice(0, -1).join(', ') + ` or ${code(names).at(-1)}`
  const given = (k: Names<S>) => givenSchema(specs, k)
  return {
    /** At least one of `names`. */
    atLeastOne: (...names: Names<S>[]): InputRule => ({
      text: `Give at least one of ${or(names)}.`,
      schema: { anyOf: names.map(given) },
      needsWith: true,
    }),
    /** Not `a` and `b` together. */
    notBoth: (a: Names<S>, b: Names<S>): InputRule => ({
      text: `Give \`${a}\` or \`${b}\`, not both.`,
      schema: { not: { allOf: [given(a), given(b)] } },
    }),
    /** `a` only with every one of `needs`. */
    needs: (a: Names<S>, ...needs: Names<S>[]): InputRule => ({
      text: `\`${a}\` needs ${code(needs).join(' and ')}.`,
      schema: { if: given(a), then: { allOf: needs.map(given) } },
    }),
    /** `a` and `b` both or neither. */
    together: (a: Names<S>, b: Names<S>): InputRule => ({
      text: `\`${a}\` and \`${b}\` go together: both or neither.`,
      schema: {
        allOf: [
          { if: given(a), then: given(b) },
          { if: given(b), then: given(a) },
        ],
      },
    }),
    /** When `name` is `value` (written, or its default when not written), at least one of / every one of `needs`. */
    whenEquals: (name: Names<S>, value: string, needs: { anyOf: readonly Names<S>[] } | { allOf: readonly Names<S>[] }): InputRule => {
      const list = 'anyOf' in needs ? needs.anyOf : needs.allOf
      const is = { properties: { [name]: { const: value } } }
      return {
        text: `With \`${name}: ${value}\`, give ${'anyOf' in needs ? `at least one of ${or(list)}` : code(list).join(' and ')}.`,
        schema: {
          if: specs[name]?.default === value ? is : { required: [name], ...is },
          then: { ['anyOf' in needs ? 'anyOf' : 'allOf']: list.map(given) },
        },
        ...(specs[name]?.default === value ? { needsWith: true } : {}),
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// JSON Schema of the inputs, for cutover.yml's `with:`

/** What the YAML may hold for each shape, in JSON Schema. */
const SHAPE_SCHEMAS: Record<YamlShape, JsonSchema> = {
  string: { type: ['string', 'number'] },
  list: { anyOf: [{ type: ['string', 'number'] }, { type: 'array', items: { type: ['string', 'number'] } }] },
  boolean: { type: ['boolean', 'string'] },
  integer: { type: ['integer', 'string'] },
  yaml: {},
}

/** The description an editor shows: what the input is, its default and the form it takes. */
export function describeInput(s: InputSpec): string {
  return s.description + (s.default !== undefined ? ` Default: \`${s.default}\`.` : '')
}

/** JSON Schema of a `with:` mapping of these inputs and rules (an empty value is "not given", as in an action). */
export function inputsJsonSchema(specs: InputSpecs, inputRules: readonly InputRule[] = []): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const [name, s] of Object.entries(specs)) {
    const shape: JsonSchema = s.values ? { enum: [...s.values] } : SHAPE_SCHEMAS[s.shape]
    properties[name] = {
      description: describeInput(s),
      ...(s.default !== undefined ? { default: s.default } : {}),
      // A required input left blank is missing, as the gate says; any other may be left blank.
      ...(s.required && s.default === undefined ? { ...shape, not: BLANK } : { anyOf: [shape, { type: 'null' }] }),
    }
  }
  const required = Object.entries(specs)
    .filter(([, s]) => s.required && s.default === undefined)
    .map(([k]) => k)
  const allOf = inputRules.map((r) => ({ description: r.text, ...r.schema }))
  return {
    type: 'object',
    properties,
    additionalProperties: false,
    ...(required.length ? { required } : {}),
    ...(allOf.length ? { allOf } : {}),
  }
}

/**
 * The strings to mask for every secret input present in `raw`: the one registration the redactor
 * is built from, wherever a gate runs (runGate, the actions' runner, the checklist, the CLI).
 * `secret: true` masks the value and each of its lines; a function derives the forms to mask
 * (a URL's password and query values, a header's value and its Basic credentials, key text).
 * The redactor itself adds the encodings (case, %-escapes, JSON, base64, line breaks).
 */
export function secretValues(specs: InputSpecs, raw: Record<string, unknown>): string[] {
  const out: string[] = []
  for (const [name, s] of Object.entries(specs)) {
    const r = toRaw(raw[name], s)
    if (r === undefined) continue
    // A URL's password is secret whichever input holds it (a `restore-command` that curls a backup).
    out.push(...embeddedUserinfoSecrets(r))
    if (!s.secret) continue
    if (typeof s.secret === 'function') {
      try {
        out.push(...s.secret(r))
      } catch {
        // A derivation that cannot read the value masks it whole: never less than the value.
        out.push(r, ...parseList(r))
      }
    } else out.push(r, ...parseList(r))
  }
  return out.filter((v) => v.trim().length >= MIN_SECRET_LENGTH)
}
