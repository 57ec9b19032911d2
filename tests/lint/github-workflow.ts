/**
 * GitHub's own workflow parser (`@actions/workflow-parser`) and expression evaluator
 * (`@actions/expressions`), the ones behind its language service, loaded for the tests.
 *
 * The parser reads workflows the way GitHub does (schema, allowed contexts per key, the implicit
 * `success() &&` of a condition without a status function) and the evaluator computes
 * expressions with GitHub's semantics (loose equality, truthiness, `fromJSON`, `format`). The
 * status functions (`success()`, `always()`, …) depend on the run, so the caller supplies them.
 */
import { registerHooks } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
type ExpressionData = data.ExpressionData
import { truthy } from '@actions/expressions/result'
import type { WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { REPO_ROOT } from './yaml-files.js'

// The parser imports its JSON schema without an import attribute (it is written for bundlers),
// which Node refuses: add the attribute for that one package's JSON.
registerHooks({
  load(url, context, next) {
    if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/'))
      return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } })
    return next(url, context)
  },
})
const wp = await import('@actions/workflow-parser')

export interface ParsedWorkflow {
  template: WorkflowTemplate
  /** GitHub's validation errors: schema, expressions, contexts not allowed where they are used. */
  errors: string[]
}

/** Parses and converts one workflow as GitHub does; `errors` is empty for a valid one. */
export async function parseGithubWorkflow(text: string, name = 'workflow.yml'): Promise<ParsedWorkflow> {
  const parsed = wp.parseWorkflow({ name, content: text }, new wp.NoOperationTraceWriter())
  const errors = parsed.context.errors.getErrors().map((e) => e.message)
  if (!parsed.value) return { template: { events: {}, jobs: [], concurrency: undefined!, env: undefined! }, errors }
  const template = await wp.convertWorkflowTemplate(parsed.context, parsed.value)
  return { template, errors: [...new Set([...errors, ...(template.errors ?? []).map((e) => e.Message)])] }
}

export async function readGithubWorkflow(rel: string): Promise<ParsedWorkflow> {
  return parseGithubWorkflow(readFileSync(join(REPO_ROOT, rel), 'utf8'), rel)
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export const STATUS_FUNCTIONS = ['success', 'always', 'failure', 'cancelled'] as const
export type StatusFunctions = Record<(typeof STATUS_FUNCTIONS)[number], () => boolean>

const CONTEXTS = ['github', 'inputs', 'needs', 'env', 'steps', 'matrix', 'strategy', 'secrets', 'vars', 'job', 'runner']

/** A plain value as the evaluator's data. */
export function toData(value: Json | undefined): ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as ExpressionData
}

/** The evaluator's data as a plain value. */
export function toJson(d: ExpressionData): Json {
  switch (d.kind) {
    case data.Kind.Null:
      return null
    case data.Kind.Boolean:
    case data.Kind.Number:
    case data.Kind.String:
      return (d as data.BooleanData | data.NumberData | data.StringData).value
    case data.Kind.Array:
      return (d as data.Array).values().map(toJson)
    default:
      return Object.fromEntries((d as data.Dictionary).pairs().map((p) => [p.key, toJson(p.value)]))
  }
}

/** Evaluates one expression (the text inside `${{ }}`) against the contexts. */
export function evaluate(expression: string, contexts: Record<string, Json>, status: StatusFunctions): ExpressionData {
  const tokens = new Lexer(expression).lex().tokens
  const info = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }))
  const ast = new Parser(tokens, CONTEXTS, info).parse()
  const functions = new Map(
    STATUS_FUNCTIONS.map((name) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]()) }]),
  )
  const context = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({ key, value: toData(value) })))
  return new Evaluator(ast, context, functions).evaluate()
}

export const isTruthy = (d: ExpressionData): boolean => truthy(d)

/** What a value becomes in a string (an env value, an input): GitHub's coercion. */
export const asString = (d: ExpressionData): string => d.coerceString()

/** A template token's value: a literal, or its expression evaluated. */
export function tokenValue(t: TemplateToken | undefined, contexts: Record<string, Json>, status: StatusFunctions): ExpressionData {
  if (t === undefined) return new data.Null()
  if (wp.isBasicExpression(t)) return evaluate(t.expression, contexts, status)
  if (wp.isString(t) || wp.isNumber(t) || wp.isBoolean(t)) return toData(t.value)
  if (wp.isSequence(t)) {
    const out: ExpressionData[] = []
    for (let i = 0; i < t.count; i++) out.push(tokenValue(t.get(i), contexts, status))
    return new data.Array(...out)
  }
  if (wp.isMapping(t)) {
    const pairs = []
    for (const { key, value } of t)
      pairs.push({ key: asString(tokenValue(key, contexts, status)), value: tokenValue(value, contexts, status) })
    return new data.Dictionary(...pairs)
  }
  return new data.Null()
}

/** Every `key: value` of a mapping token, values as strings (env, outputs). */
export function mappingStrings(
  t: TemplateToken | undefined,
  contexts: Record<string, Json>,
  status: StatusFunctions,
): Record<string, string> {
  const out: Record<string, string> = {}
  if (!t || !wp.isMapping(t)) return out
  for (const { key, value } of t) out[asString(tokenValue(key, contexts, status))] = asString(tokenValue(value, contexts, status))
  return out
}

/** `text` with every `${{ expr }}` replaced by its value, as GitHub does for a `with:` string. */
export function interpolate(text: string, contexts: Record<string, Json>, status: StatusFunctions): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => asString(evaluate(expr, contexts, status)))
}

export const { isMapping, isSequence, isBasicExpression, isString } = wp
