// A local fake of the GitHub REST API for end-to-end tests of the bundled actions.
//
// Every request is matched against the operations in tests/fixtures/github-openapi.json (extracted from
// GitHub's published OpenAPI description by scripts/extract-openapi.mjs) and its JSON body is validated
// against the operation's request-body schema, so an action that sends something GitHub would reject
// fails here too. Every success answer the fake gives (a test's reply or its own default) is checked
// against the operation's response schema in turn: a gate tested on answers GitHub never gives
// proves nothing. A reply made off-spec on purpose (to prove a gate refuses it) says so with
// `offSpec`; any other that GitHub would not send is recorded in `invalidResponses`.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'

export interface RecordedRequest {
  operationId: string
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: unknown
  /** Decoded path parameters, e.g. `{ owner: 'acme', repo: 'shop', check_run_id: '3' }`. */
  params: Record<string, string>
}

export interface FakeReply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /**
   * Why this reply is not GitHub's documented shape, on purpose (a fail-closed test feeding a gate
   * something broken). Such a reply is sent without its response schema being checked.
   */
  offSpec?: string
}

export interface InvalidResponse {
  operationId: string
  method: string
  path: string
  status: number
  /** Where the reply departs from the operation's response schema. */
  errors: string[]
}

export interface InvalidRequest {
  method: string
  path: string
  errors: string[]
  /** Status the fake answered with: 404 unknown route, 401 no credentials, 400 unparsable JSON, 422 schema failure, 500 handler threw. */
  status: number
  /** Set when the route matched an operation. */
  operationId?: string
  body?: unknown
}

export interface FakeGitHub {
  /** Base URL like http://127.0.0.1:PORT (use as GITHUB_API_URL). */
  url: string
  /** Every request that matched an operation, passed authentication and had a valid body, in order. */
  requests: RecordedRequest[]
  /** Requests with no matching operation, no credentials, or a body failing the schema. */
  invalid: InvalidRequest[]
  /** Success replies (2xx, not marked `offSpec`) whose body fails the operation's response schema. */
  invalidResponses: InvalidResponse[]
  /** Queue a one-shot reply for the next request to operationId (FIFO). Useful for 503/429/403 with Retry-After. */
  replyOnce(operationId: string, reply: FakeReply): void
  /**
   * Permanent handler for an operation; return undefined to fall back to the default reply.
   * Several handlers may be registered: the newest is asked first, then older ones, then the default.
   */
  on(operationId: string, handler: (req: RecordedRequest) => FakeReply | undefined): void
  close(): Promise<void>
}

interface FixtureOperation {
  method: string
  path: string
  pathParams: string[]
  queryParams: { name: string; required: boolean }[]
  successStatus: number
  successStatuses: number[]
  documentationUrl: string | null
  requestBody: { required: boolean; contentType: string; schema: Record<string, unknown> } | null
  /** JSON body schema per success status (absent in fixtures made before responses were extracted). */
  responses?: Record<string, Record<string, unknown>>
}

export interface GitHubOpenApiFixture {
  source: { package: string; version: string; file: string; openapi: string; apiVersion: string | null }
  formats: string[]
  operations: Record<string, FixtureOperation>
}

const FIXTURE_URL = new URL('../fixtures/github-openapi.json', import.meta.url)

let fixtureCache: GitHubOpenApiFixture | undefined
export function loadOpenApiFixture(): GitHubOpenApiFixture {
  fixtureCache ??= JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as GitHubOpenApiFixture
  return fixtureCache
}

/**
 * OpenAPI 3.0 `nullable: true` is not JSON Schema. Rewrite it as a JSON Schema union so that null is accepted
 * (also when the schema has an `enum` that does not list null, or no `type` at all).
 */
export function openApiToJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiToJsonSchema)
  if (schema === null || typeof schema !== 'object') return schema
  const src = schema as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable') continue
    if ((k === 'properties' || k === 'patternProperties') && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, openApiToJsonSchema(sub)]))
    } else if (k === 'enum' || k === 'const' || k === 'default' || k === 'required') {
      out[k] = v
    } else {
      out[k] = openApiToJsonSchema(v)
    }
  }
  if (src.nullable !== true) return out
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
  if (typeof out.type === 'string') out.type = [out.type, 'null']
  else if (Array.isArray(out.type)) out.type = out.type.includes('null') ? out.type : [...out.type, 'null']
  else return { anyOf: [{ type: 'null' }, out] }
  return out
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/

function createAjv(formats: string[]): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true })
  ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)))
  ajv.addFormat('uri', (s: string) => URL.canParse(s))
  // Formats we have no checker for are accepted rather than failing schema compilation.
  for (const f of formats) if (f !== 'date-time' && f !== 'uri') ajv.addFormat(f, true)
  return ajv
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '/'
  if (e.keyword === 'enum') return `${at} must be one of ${JSON.stringify(e.params.allowedValues)}`
  if (e.keyword === 'required') return `${at} must have required property '${String(e.params.missingProperty)}'`
  if (e.keyword === 'additionalProperties') return `${at} must not have additional property '${String(e.params.additionalProperty)}'`
  return `${at} ${e.message ?? e.keyword}`
}

/** GitHub words schema failures as `Invalid request.\n\n<details>`. */
function githubValidationMessage(errors: ErrorObject[], body: unknown): string {
  const lines = errors
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
    .map((e) => {
      if (e.keyword === 'required') return `"${String(e.params.missingProperty)}" wasn't supplied.`
      const value = valueAt(body, e.instancePath)
      return `For '${e.instancePath.slice(1) || 'body'}', ${JSON.stringify(value)} ${e.message ?? 'is invalid'}.`
    })
  return `Invalid request.\n\n${[...new Set(lines)].join('\n')}`
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return cur
}

/** GitHub's check-run output limit, in bytes (https://github.com/github/docs/issues/35252). */
export const CHECK_OUTPUT_MAX_BYTES = 65_535

function checkOutputOverBytes(operationId: string, body: unknown): { field: string; bytes: number } | undefined {
  if (operationId !== 'checks/create' && operationId !== 'checks/update') return undefined
  const output = (body as { output?: Record<string, unknown> } | undefined)?.output
  for (const field of ['summary', 'text']) {
    const v = output?.[field]
    const bytes = typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0
    if (bytes > CHECK_OUTPUT_MAX_BYTES) return { field, bytes }
  }
  return undefined
}

interface CompiledOperation extends FixtureOperation {
  operationId: string
  regex: RegExp
  validate: ValidateFunction | null
  validateResponse: Map<number, ValidateFunction>
}

function compileOperations(fixture: GitHubOpenApiFixture): CompiledOperation[] {
  const ajv = createAjv(fixture.formats)
  return Object.entries(fixture.operations).map(([operationId, op]) => {
    const pattern = op.path
      .split('/')
      .map((seg) => (/^\{[^}]+\}$/.test(seg) ? '([^/]+)' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')
    return {
      ...op,
      operationId,
      regex: new RegExp(`^${pattern}$`),
      validate: op.requestBody ? ajv.compile(openApiToJsonSchema(op.requestBody.schema) as object) : null,
      validateResponse: new Map(
        Object.entries(op.responses ?? {}).map(([status, schema]) => [Number(status), ajv.compile(openApiToJsonSchema(schema) as object)]),
      ),
    }
  })
}

/** The app that owns check runs made with GITHUB_TOKEN, as GitHub describes it in a check run. */
const GITHUB_ACTIONS_APP = {
  id: 15368,
  slug: 'github-actions',
  node_id: 'MDM6QXBwMTUzNjg=',
  owner: {
    login: 'github',
    id: 9919,
    node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=',
    avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4',
    gravatar_id: '',
    url: 'https://api.github.com/users/github',
    html_url: 'https://github.com/github',
    followers_url: 'https://api.github.com/users/github/followers',
    following_url: 'https://api.github.com/users/github/following{/other_user}',
    gists_url: 'https://api.github.com/users/github/gists{/gist_id}',
    starred_url: 'https://api.github.com/users/github/starred{/owner}{/repo}',
    subscriptions_url: 'https://api.github.com/users/github/subscriptions',
    organizations_url: 'https://api.github.com/users/github/orgs',
    repos_url: 'https://api.github.com/users/github/repos',
    events_url: 'https://api.github.com/users/github/events{/privacy}',
    received_events_url: 'https://api.github.com/users/github/received_events',
    type: 'Organization',
    site_admin: false,
  },
  name: 'GitHub Actions',
  description: 'Automate your workflow from idea to production',
  external_url: 'https://help.github.com/en/actions',
  html_url: 'https://github.com/apps/github-actions',
  created_at: '2018-07-30T09:30:17Z',
  updated_at: '2019-12-10T19:04:12Z',
  permissions: { checks: 'write', contents: 'read', metadata: 'read' },
  events: ['check_run', 'check_suite'],
}

let compiledCache: CompiledOperation[] | undefined

/**
 * Where `body` departs from GitHub's documented answer `status` of `operationId` (empty when it
 * does not): what the fake checks of every reply, for builders of answers to check themselves.
 */
export function responseProblems(operationId: string, status: number, body: unknown): string[] {
  compiledCache ??= compileOperations(loadOpenApiFixture())
  const op = compiledCache.find((o) => o.operationId === operationId)
  if (!op) throw new Error(`fake-github: unknown operationId '${operationId}'`)
  if (!op.successStatuses.includes(status)) return [`GitHub documents no ${status} answer for ${operationId}`]
  const validate = op.validateResponse.get(status)
  return validate && !validate(body) ? (validate.errors ?? []).map(describeError) : []
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' }

function send(res: ServerResponse, reply: FakeReply, requestId: string): void {
  const headers: Record<string, string> = {
    'x-github-request-id': requestId,
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
  }
  const hasBody = reply.body !== undefined && reply.status !== 204 && reply.status !== 304
  if (hasBody) Object.assign(headers, JSON_HEADERS)
  Object.assign(headers, reply.headers ?? {})
  res.writeHead(reply.status, headers)
  res.end(hasBody ? JSON.stringify(reply.body) : undefined)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const operations = compileOperations(loadOpenApiFixture())
  const requests: RecordedRequest[] = []
  const invalid: InvalidRequest[] = []
  const invalidResponses: InvalidResponse[] = []
  const queues = new Map<string, FakeReply[]>()
  const handlers = new Map<string, ((req: RecordedRequest) => FakeReply | undefined)[]>()
  const checkRuns = new Map<number, Record<string, unknown>>()
  let nextCheckRunId = 1
  let requestCounter = 0

  const known = new Set(operations.map((o) => o.operationId))
  const assertKnown = (operationId: string): void => {
    if (!known.has(operationId)) throw new Error(`fake-github: unknown operationId '${operationId}' (known: ${[...known].join(', ')})`)
  }

  const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

  function checkRunDefaults(rec: RecordedRequest, existing: Record<string, unknown> | undefined, id: number): Record<string, unknown> {
    const body = (rec.body ?? {}) as Record<string, unknown>
    const { owner, repo } = rec.params
    const prev = existing ?? {}
    const conclusion = (body.conclusion as string | undefined) ?? (prev.conclusion as string | null | undefined) ?? null
    const status =
      body.conclusion !== undefined ? 'completed' : ((body.status as string | undefined) ?? (prev.status as string) ?? 'queued')
    const prevOutput = (prev.output ?? {}) as Record<string, unknown>
    const bodyOutput = body.output as Record<string, unknown> | undefined
    const annotations = Array.isArray(bodyOutput?.annotations) ? bodyOutput.annotations.length : 0
    return {
      id,
      node_id: `CR_fake${id}`,
      head_sha: body.head_sha ?? prev.head_sha,
      external_id: body.external_id ?? prev.external_id ?? '',
      url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${id}`,
      html_url: `https://github.com/${owner}/${repo}/runs/${id}`,
      details_url: body.details_url ?? prev.details_url ?? `https://github.com/${owner}/${repo}/runs/${id}`,
      status,
      conclusion: status === 'completed' ? conclusion : null,
      started_at: body.started_at ?? prev.started_at ?? nowIso(),
      completed_at: body.completed_at ?? prev.completed_at ?? (status === 'completed' ? nowIso() : null),
      output: {
        title: bodyOutput?.title ?? prevOutput.title ?? null,
        summary: bodyOutput?.summary ?? prevOutput.summary ?? null,
        text: bodyOutput?.text ?? prevOutput.text ?? null,
        annotations_count: ((prevOutput.annotations_count as number | undefined) ?? 0) + annotations,
        annotations_url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${id}/annotations`,
      },
      name: body.name ?? prev.name,
      check_suite: { id: 1 },
      app: GITHUB_ACTIONS_APP,
      pull_requests: [],
    }
  }

  function defaultReply(rec: RecordedRequest): FakeReply {
    if (rec.operationId === 'checks/create') {
      const id = nextCheckRunId++
      const run = checkRunDefaults(rec, undefined, id)
      checkRuns.set(id, run)
      return { status: 201, body: run }
    }
    if (rec.operationId === 'checks/update') {
      const id = Number(rec.params.check_run_id)
      const run = checkRunDefaults(rec, checkRuns.get(id), id)
      checkRuns.set(id, run)
      return { status: 200, body: run }
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: docUrl(rec.operationId), status: '404' } }
  }

  const docUrl = (operationId: string): string =>
    operations.find((o) => o.operationId === operationId)?.documentationUrl ?? 'https://docs.github.com/rest'

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `FAKE:${++requestCounter}`
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://fake.invalid')
    const path = url.pathname
    const raw = await readBody(req)
    const reject = (status: number, errors: string[], body: unknown, replyBody: unknown, operationId?: string): void => {
      invalid.push({ method, path, errors, status, ...(operationId ? { operationId } : {}), ...(body !== undefined ? { body } : {}) })
      send(res, { status, body: replyBody }, requestId)
    }

    let op: CompiledOperation | undefined
    let match: RegExpExecArray | null = null
    for (const candidate of operations) {
      if (candidate.method !== method) continue
      match = candidate.regex.exec(path)
      if (match) {
        op = candidate
        break
      }
    }
    if (!op || !match) {
      const sameRoute = operations.filter((o) => o.regex.test(path)).map((o) => o.method)
      const why = sameRoute.length
        ? `no operation for ${method} ${path} (route exists for ${sameRoute.join(', ')})`
        : `no operation matches ${method} ${path}`
      reject(404, [why], raw || undefined, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' })
      return
    }
    const params: Record<string, string> = {}
    op.pathParams.forEach((name, i) => {
      const value = match[i + 1] ?? ''
      try {
        params[name] = decodeURIComponent(value)
      } catch {
        params[name] = value
      }
    })

    const auth = req.headers.authorization
    if (typeof auth !== 'string' || !/^(token|bearer)\s+\S+/i.test(auth)) {
      reject(
        401,
        [`missing or malformed authorization header (${auth === undefined ? 'absent' : JSON.stringify(auth)})`],
        raw || undefined,
        { message: 'Requires authentication', documentation_url: op.documentationUrl ?? 'https://docs.github.com/rest', status: '401' },
        op.operationId,
      )
      return
    }

    let body: unknown = undefined
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw)
      } catch (e) {
        reject(
          400,
          [`body is not JSON: ${(e as Error).message}`],
          raw,
          { message: 'Problems parsing JSON', documentation_url: op.documentationUrl, status: '400' },
          op.operationId,
        )
        return
      }
    }

    if (op.requestBody && op.validate) {
      if (body === undefined && op.requestBody.required) {
        reject(
          422,
          ['request body is required'],
          undefined,
          { message: 'Invalid request.\n\nRequest body is required.', documentation_url: op.documentationUrl, status: '422' },
          op.operationId,
        )
        return
      }
      if (body !== undefined && !op.validate(body)) {
        const errs = op.validate.errors ?? []
        reject(
          422,
          errs.map(describeError),
          body,
          { message: githubValidationMessage(errs, body), documentation_url: op.documentationUrl, status: '422' },
          op.operationId,
        )
        return
      }
    }

    // GitHub counts a check run's summary and text in UTF-8 bytes, not the characters its schema says.
    const tooBig = checkOutputOverBytes(op.operationId, body)
    if (tooBig) {
      reject(
        422,
        [`output.${tooBig.field} is ${tooBig.bytes} UTF-8 bytes, over ${CHECK_OUTPUT_MAX_BYTES}`],
        body,
        {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'CheckRun',
              code: 'custom',
              field: tooBig.field,
              message: `${tooBig.field} exceeds a maximum bytesize of ${CHECK_OUTPUT_MAX_BYTES}`,
            },
          ],
          documentation_url: op.documentationUrl,
          status: '422',
        },
        op.operationId,
      )
      return
    }

    const query: Record<string, string> = {}
    for (const [k, v] of url.searchParams) query[k] = v
    const rec: RecordedRequest = { operationId: op.operationId, method, path, query, headers: { ...req.headers }, body, params }
    requests.push(rec)

    let reply = queues.get(op.operationId)?.shift()
    if (!reply) {
      try {
        for (const h of handlers.get(op.operationId) ?? []) {
          reply = h(rec)
          if (reply) break
        }
      } catch (e) {
        const message = `handler for ${op.operationId} threw: ${(e as Error)?.stack ?? String(e)}`
        invalid.push({ method, path, errors: [message], status: 500, operationId: op.operationId, body })
        send(res, { status: 500, body: { message: 'Server Error', status: '500' } }, requestId)
        return
      }
    }
    const answer = reply ?? defaultReply(rec)
    checkResponse(op, method, path, answer)
    send(res, answer, requestId)
  }

  function checkResponse(op: CompiledOperation, method: string, path: string, reply: FakeReply): void {
    if (reply.offSpec || reply.status < 200 || reply.status > 299) return
    const errors = responseProblems(op.operationId, reply.status, reply.body)
    if (errors.length) invalidResponses.push({ operationId: op.operationId, method, path, status: reply.status, errors })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      invalid.push({ method: req.method ?? '?', path: req.url ?? '?', errors: [`fake-github crashed: ${String(e)}`], status: 500 })
      if (!res.headersSent) send(res, { status: 500, body: { message: 'Server Error' } }, 'FAKE:crash')
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    invalid,
    invalidResponses,
    replyOnce(operationId, reply) {
      assertKnown(operationId)
      const q = queues.get(operationId) ?? []
      q.push(reply)
      queues.set(operationId, q)
    },
    on(operationId, handler) {
      assertKnown(operationId)
      handlers.set(operationId, [handler, ...(handlers.get(operationId) ?? [])])
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      })
    },
  }
}
