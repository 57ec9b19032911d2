/**
 * Planted secrets. For every gate of src/gates/index.ts and every input its spec registers as
 * secret (plus the common `github-token`), a recognisable secret is planted in each form that
 * input takes (a URL with a user-info password and a token query value, `Name: value` headers,
 * PEM-looking key text, a plain token) and in the forms it is pasted by mistake. Every value
 * the input accepts is then driven through every error path we can reach: an answer, a 401, an
 * unreachable host, a timeout and a redirect to another origin (all on loopback), against
 * servers that echo what they received in the ways real ones do (upper case, percent-encoded,
 * JSON-escaped, base64-decoded, split across a line break). Each case runs the real bundled
 * action (dist/<name>/index.js) as the runner does, and the secret must appear in no channel:
 * the log (outside `::add-mask::` lines) and stderr, the job summary, the outputs and the other
 * file commands, every file left in the workspace (reports, ledger, bundle, baseline), every
 * request body the fake GitHub received (check runs), and every body our servers received (the
 * webhook payload). The same values also go through the checklist action, via `${NAME}` in
 * cutover.yml. Cases come from the specs: a new secret input is covered without anyone listing
 * it, and a new kind of secret derivation fails here until it is given its planted forms.
 *
 * Needs `npm run build` first: it tests what ships.
 */
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commonInputs, parseInputs, type InputSpec, type InputSpecs } from '../../src/core/inputs.js'
import { urlSecrets } from '../../src/lib/url.js'
import { postgresSecrets } from '../../src/gates/dr-drill/postgres.js'
import { gates } from '../../src/gates/index.js'
import { headerSecrets } from '../../src/gates/readyz/spec.js'
import { webhookSecrets } from '../../src/gates/notify/webhook.js'
import { envSecrets } from '../../src/gates/command/spec.js'
import { stepsSecrets } from '../../src/gates/smoke/spec.js'
import { pgUrlSecrets } from '../../src/gates/sql/spec.js'
import { keyInputSecrets } from '../../src/lib/signing/key-input.js'
import { startFakeGitHub, type FakeGitHub } from '../harness/fake-github.js'
import { REPO_ROOT, UNREACHABLE_API_URL, runAction, type ActionRun } from '../harness/run-action.js'

// ---------------------------------------------------------------------------------------------
// What is planted

const USER = 'plantuser'
/** `#`, `/`, `?` and `@` end a URL's authority early in naive parsers; each piece is 8 characters or more. */
const PASSWORD = 'Pw7qR2x9#Zk/9?Lx@Mn4Vb8Tq'
const PASSWORD_ENC = encodeURIComponent(PASSWORD)
const TOKEN = 'tKn4vR8sW2yN6pQ0zX3c'
const HEADER_TOKEN = 'hDr9Lm2Qw7Ez5Rt1Yu8i'
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
/** Shorter than the redactor masks by substring: it must be safe by never being quoted. */
const SHORT = 'Zq'
const FAKE_PEM_BODY = [
  'MIIEvgIBADANPLaNTeDkEyb0dYqW3rT7uI9oP1aS5dF8gH2jK4lZ6xC0vB3nM7qW',
  'Ry8uI2oP4aS6dF9gH1jK3lZ5xC7vB0nM2qW4eR6tY8uI1oP3aS5dF7gH9jK2lZ4x',
  'Cv6bN8mQ0wE2rT4yU6iO8pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT2yU4iO6pA8',
]

interface Needle {
  text: string
  /** Any run of this many characters of `text` is a leak (a prefix cut by an ellipsis, one piece of a split). */
  window?: number
}

let realKeyPem = ''
/** Every planted secret, as the detector looks for it. */
function needles(): Needle[] {
  const realBody = realKeyPem.split('\n').filter((l) => l && !l.startsWith('-----'))
  const b64 = (s: string) => Buffer.from(s).toString('base64').replace(/=+$/, '')
  return [
    { text: PASSWORD, window: 8 },
    { text: `${USER}:${PASSWORD}` },
    { text: `${USER}:${PASSWORD_ENC}` },
    { text: TOKEN, window: 8 },
    { text: HEADER_TOKEN, window: 8 },
    { text: BASIC, window: 12 },
    { text: b64(TOKEN), window: 12 },
    { text: b64(HEADER_TOKEN), window: 12 },
    ...FAKE_PEM_BODY.map((text) => ({ text, window: 12 })),
    // An Ed25519 PKCS#8 key: 16 bytes of ASN.1 (the first 21 base64 characters, the same in every such key), then the seed.
    ...realBody.map((l) => ({ text: l.slice(24), window: 12 })),
    // The short secret, in the places it would sit if it were quoted.
    { text: `k=${SHORT}&` },
    { text: `k=${SHORT}"` },
    { text: `X-Short: ${SHORT}` },
    { text: `${USER}:${SHORT}` },
  ]
}

/** Undo the escapes a channel may wrap a secret in, so that one search finds every form. */
function normalise(text: string): string {
  let t = text
  for (let i = 0; i < 2; i++) {
    t = t
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\([/"\\|_*`[\]()#+\-.!])/g, '$1')
      .replace(/\\[nrt]/g, ' ')
      .replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(
        /&(amp|lt|gt|quot|#39|#x27);/g,
        (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e] ?? '',
      )
  }
  return t.replace(/\s+/g, '').toLowerCase()
}

/** The first planted secret found in `text`, with where, or undefined. */
function findLeak(text: string, list: Needle[] = needles()): string | undefined {
  const hay = normalise(text)
  for (const n of list) {
    const needle = n.text.replace(/\s+/g, '').toLowerCase()
    const pieces = n.window && needle.length > n.window ? windows(needle, n.window) : [needle]
    for (const p of pieces) {
      const at = hay.indexOf(p)
      if (at >= 0) return `${JSON.stringify(p)} (of ${JSON.stringify(n.text)}) in …${hay.slice(Math.max(0, at - 60), at + p.length + 60)}…`
    }
  }
  return undefined
}

function windows(s: string, n: number): string[] {
  const out: string[] = []
  for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n))
  return out
}

// ---------------------------------------------------------------------------------------------
// The servers: a scenario server (answer, 401, redirect, hang), another origin, fake PostgreSQL

type Scenario = 'as-given' | 'answer' | '401' | 'unreachable' | 'timeout' | 'redirect' | 'auth-refused'

interface Received {
  server: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

const received: Received[] = []
let scenarioServer: http.Server
let otherServer: http.Server
let pgAuth: net.Server
let pgSilent: net.Server
let A = ''
let B = ''
let pgAuthPort = 0
let pgSilentPort = 0
const sockets = new Set<net.Socket>()

/** What an adversarial server says back: everything it got, in the forms real services use. */
function echo(req: http.IncomingMessage, body: string): Record<string, string> {
  let url = req.url ?? ''
  try {
    url += ` (${decodeURIComponent(url)})`
  } catch {
    // As sent, then.
  }
  const got = `${req.method} ${url} ${JSON.stringify(req.headers)} ${body}`
  const decoded: string[] = []
  const auth = req.headers.authorization
  if (typeof auth === 'string' && /^basic /i.test(auth)) decoded.push(Buffer.from(auth.slice(6), 'base64').toString('utf8'))
  const split = needles()
    .map((n) => n.text)
    .filter((t) => got.includes(t) || decoded.some((d) => d.includes(t)))
    .map((t) => `${t.slice(0, Math.ceil(t.length / 2))}\n${t.slice(Math.ceil(t.length / 2))}`)
  return {
    error: `invalid credentials for ${req.url}`,
    got,
    upper: got.toUpperCase(),
    encoded: encodeURIComponent(got),
    slashes: got.replace(/\//g, '\\/'),
    basic: decoded.join(' '),
    split: split.join(' | '),
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(''))
  })
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}

async function listen(server: net.Server): Promise<number> {
  server.on('connection', (s: net.Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** `/s/<scenario>/<case>/…`: what to do, and which case asked (cases may run side by side). */
async function onScenario(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await readBody(req)
  received.push({ server: 'A', url: req.url ?? '', headers: req.headers, body })
  const [, , scenario = 'answer', id = 'c0'] = new URL(req.url ?? '/', 'http://x').pathname.split('/')
  const e = echo(req, body)
  if (scenario === 'timeout') return // never answers: the gate's own timeout must end it
  if (scenario === '401') {
    // Plain text, so that a gate quoting what it could not parse quotes the echo.
    const text = [e.error, e.got, e.upper, e.encoded, e.slashes, e.basic, e.split].join('\n')
    res
      .writeHead(401, {
        'content-type': 'text/plain',
        'www-authenticate': `Basic realm="${e.basic || 'planted'}"`,
        'x-echo': e.encoded.slice(0, 4000),
      })
      .end(text)
    return
  }
  if (scenario === 'redirect') {
    const q = new URL(req.url ?? '/', 'http://x').search
    res.writeHead(302, { location: `${B}/landed/${id}${q}` }).end()
    return
  }
  // A 200 whose status and failing component quote the echo: what a gate names, it must mask.
  send(res, 200, {
    status: e.split,
    checks: { 'db:auth': [{ status: 'fail', output: e.got }] },
    components: { db: { status: 'DOWN', details: e }, [e.basic || 'x']: { status: 'DOWN' } },
    data: { resultType: 'vector', result: [] },
    ...e,
  })
}

async function onOther(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await readBody(req)
  received.push({ server: 'B', url: req.url ?? '', headers: req.headers, body })
  send(res, 401, { status: 'fail', ...echo(req, body) })
}

/**
 * PostgreSQL that asks for the password in clear text and refuses it, quoting what it received
 * (user, password, and the pair base64-encoded) in its FATAL message, as a misconfigured proxy might.
 */
function pgServer(socket: net.Socket, refuse: boolean): void {
  let buf = Buffer.alloc(0)
  let started = false
  let user = ''
  const message = (type: string, payload: Buffer) => {
    const head = Buffer.alloc(5)
    head.write(type, 0)
    head.writeInt32BE(payload.length + 4, 1)
    return Buffer.concat([head, payload])
  }
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk])
    for (;;) {
      if (!started) {
        if (buf.length < 8 || buf.length < buf.readInt32BE(0)) return
        const len = buf.readInt32BE(0)
        const code = buf.readInt32BE(4)
        const params = buf.subarray(8, len).toString('utf8').split('\0')
        buf = buf.subarray(len)
        // SSLRequest / GSSENCRequest: "not here"; the client then sends its StartupMessage.
        if (code === 80877103 || code === 80877104) {
          socket.write('N')
          continue
        }
        started = true
        const param = (name: string) => params[params.indexOf(name) + 1] ?? ''
        user = param('user')
        received.push({ server: 'pg', url: `/${param('database')}`, headers: {}, body: '' })
        // The silent one never answers the login: the gate's own timeout must end it.
        if (!refuse) return
        socket.write(message('R', Buffer.from([0, 0, 0, 3]))) // AuthenticationCleartextPassword
        continue
      }
      if (buf.length < 5 || buf.length < 1 + buf.readInt32BE(1)) return
      const len = buf.readInt32BE(1)
      const password = buf
        .subarray(5, 1 + len)
        .toString('utf8')
        .replace(/\0$/, '')
      buf = buf.subarray(1 + len)
      const basic = Buffer.from(`${user}:${password}`).toString('base64')
      const fields = [
        'SFATAL',
        'VFATAL',
        'C28P01',
        `Mpassword authentication failed for user "${user}" with password "${password}" (${basic})`,
      ]
      socket.end(message('E', Buffer.concat([...fields.map((f) => Buffer.from(f + '\0')), Buffer.from('\0')])))
      return
    }
  })
  socket.on('error', () => {})
}

// ---------------------------------------------------------------------------------------------
// The cases, from the specs

type Kind = 'url' | 'header' | 'key' | 'postgres' | 'webhook' | 'token' | 'env' | 'steps'

/** The secret derivations we know how to plant for; a new one fails the inventory test below. */
const KINDS = new Map<InputSpec['secret'], Kind>([
  [true, 'token'],
  [urlSecrets, 'url'],
  [headerSecrets, 'header'],
  [keyInputSecrets, 'key'],
  [postgresSecrets, 'postgres'],
  [webhookSecrets, 'webhook'],
  [pgUrlSecrets, 'postgres'],
  [envSecrets, 'env'],
  [stepsSecrets, 'steps'],
])

interface Form {
  name: string
  /** The value for a scenario; network forms point at the scenario's server. */
  value: (scenario: Scenario, id: string) => string
  /** Forms that reach a server are driven through the network scenarios when the input accepts them. */
  scenarios?: Scenario[]
}

const HTTP_SCENARIOS: Scenario[] = ['answer', '401', 'unreachable', 'timeout', 'redirect']
/** dr-drill talks to PostgreSQL through psql: without it (and outside CI, which installs it) only the refused forms run. */
const PSQL = process.env.CI === 'true' || spawnSync('psql', ['--version'], { stdio: 'ignore' }).status === 0
const PG_SCENARIOS: Scenario[] = PSQL ? ['auth-refused', 'unreachable', 'timeout'] : []
const GITHUB_SCENARIOS: Scenario[] = ['answer', '401', 'unreachable']

// Before the servers start (while cases are generated), any loopback origin shows the value's form.
const httpBase = (scenario: Scenario, id: string) =>
  scenario === 'unreachable' ? 'http://127.0.0.1:1' : `${A || 'http://127.0.0.1:9'}/s/${scenario}/${id}`
const pgPort = (scenario: Scenario) => (scenario === 'auth-refused' ? pgAuthPort : scenario === 'timeout' ? pgSilentPort : 1)
const pem = (lines: string[]) => ['-----BEGIN PRIVATE KEY-----', ...lines, '-----END PRIVATE KEY-----'].join('\n')

const FORMS: Record<Kind, Form[]> = {
  url: [
    {
      name: 'token query value',
      value: (s, id) => `${httpBase(s, id)}/probe?access_token=${TOKEN}&k=${SHORT}&v=1`,
      scenarios: HTTP_SCENARIOS,
    },
    {
      name: 'user-info password and token',
      value: (s, id) => `${httpBase(s, id).replace('//', `//${USER}:${PASSWORD_ENC}@`)}/probe?access_token=${TOKEN}&k=${SHORT}&v=1`,
      scenarios: HTTP_SCENARIOS,
    },
    {
      name: 'a two-character password',
      value: (s, id) => `${httpBase(s, id).replace('//', `//${USER}:${SHORT}@`)}/probe`,
      scenarios: ['401'],
    },
    { name: 'raw password with # / ? @', value: () => `https://${USER}:${PASSWORD}@db.example.com/readyz?access_token=${TOKEN}` },
    { name: 'an invalid port', value: () => `http://${USER}:${PASSWORD_ENC}@127.0.0.1:99999/?access_token=${TOKEN}` },
    { name: 'a token pasted instead of a URL', value: () => TOKEN },
  ],
  header: [
    {
      name: '`Name: value` lines',
      value: () => `X-Api-Key: ${HEADER_TOKEN}\nAuthorization: Basic ${BASIC}\nX-Short: ${SHORT}`,
      scenarios: HTTP_SCENARIOS,
    },
    { name: 'bearer token', value: () => `Authorization: Bearer ${HEADER_TOKEN}`, scenarios: ['401', 'redirect'] },
    { name: 'a value without a name', value: () => `Bearer ${HEADER_TOKEN}` },
    { name: 'a name that is not a token', value: () => `X Api Key: ${HEADER_TOKEN}` },
    { name: 'a control character in the value', value: () => `X-Api-Key: ${HEADER_TOKEN.slice(0, 10)}\u0001${HEADER_TOKEN.slice(10)}` },
  ],
  key: [
    { name: 'PEM-looking key text', value: () => pem(FAKE_PEM_BODY) },
    { name: 'PEM without its BEGIN line', value: () => pem(FAKE_PEM_BODY).split('\n').slice(1).join('\n') },
    { name: 'PEM body on one line', value: () => FAKE_PEM_BODY.join('') },
    { name: 'a real Ed25519 private key', value: () => realKeyPem },
    { name: 'an opaque token', value: () => TOKEN },
  ],
  postgres: [
    {
      name: 'user-info password',
      value: (s, id) => `postgresql://${USER}:${PASSWORD_ENC}@127.0.0.1:${pgPort(s)}/${id}?connect_timeout=2`,
      scenarios: PG_SCENARIOS,
    },
    {
      name: 'password parameter',
      value: (s, id) => `postgresql://${USER}@127.0.0.1:${pgPort(s)}/${id}?password=${TOKEN}`,
      scenarios: PSQL ? ['auth-refused'] : [],
    },
    { name: 'raw password with # / ? @', value: () => `postgresql://${USER}:${PASSWORD}@127.0.0.1:1/app` },
    { name: 'a token pasted instead of a URL', value: () => TOKEN },
  ],
  webhook: [
    {
      name: 'token path and signature',
      value: (s, id) => `${httpBase(s, id)}/hooks/${TOKEN}?sig=${HEADER_TOKEN}`,
      scenarios: HTTP_SCENARIOS,
    },
    { name: 'user-info password', value: () => `https://${USER}:${PASSWORD_ENC}@hooks.example.com/services/${TOKEN}` },
    { name: 'plain http to another host', value: () => `http://hooks.example.com/services/${TOKEN}?sig=${HEADER_TOKEN}` },
    { name: 'a token pasted instead of a URL', value: () => TOKEN },
  ],
  env: [
    { name: '`NAME=value` lines', value: () => `API_TOKEN=${TOKEN}\nDB_PASSWORD=${HEADER_TOKEN}` },
    { name: 'a value pasted without its name', value: () => TOKEN },
    { name: 'a name that is not one', value: () => `api token=${TOKEN}` },
  ],
  steps: [
    {
      name: 'a step with secret headers',
      value: (sc, id) =>
        `- name: probe\n  url: ${httpBase(sc, id)}/probe\n  headers:\n    X-Api-Key: ${HEADER_TOKEN}\n    Authorization: Basic ${BASIC}`,
      scenarios: HTTP_SCENARIOS,
    },
    {
      name: 'a step URL with a password and a token',
      value: (sc, id) =>
        `- name: probe\n  url: ${httpBase(sc, id).replace('//', `//${USER}:${PASSWORD_ENC}@`)}/probe?access_token=${TOKEN}`,
      scenarios: ['401', 'unreachable'],
    },
    {
      name: 'a header value without its name',
      value: () => `- name: probe\n  url: http://127.0.0.1:1/\n  headers: Bearer ${HEADER_TOKEN}`,
    },
    { name: 'not YAML at all', value: () => `{{{ ${TOKEN}` },
  ],
  token: [
    { name: 'a token', value: () => TOKEN, scenarios: GITHUB_SCENARIOS },
    { name: 'two lines', value: () => `${TOKEN}\n${HEADER_TOKEN}` },
    { name: 'a token with a space inside', value: () => `${TOKEN.slice(0, 10)} ${TOKEN.slice(10)}` },
  ],
}

const EMBEDDED: Form = {
  name: 'a URL with a password inside',
  value: () => `curl -fsS https://${USER}:${PASSWORD_ENC}@store.example.com/backup/latest -o /dev/null`,
}

/**
 * What each gate needs besides the planted input to reach it (other inputs, files). `scenario`
 * points a gate's other URL at the server when the planted input rides on it (headers).
 */
interface Baseline {
  inputs: (planted: string, scenario: Scenario, id: string) => Record<string, string>
  files?: (ws: string) => void
}

const BASELINES: Record<string, Baseline> = {
  readyz: { inputs: (p, s, id) => ({ ...(p === 'url' ? {} : { url: httpBase(s === 'as-given' ? 'answer' : s, id) }), timeout: '1s' }) },
  canary: {
    inputs: (p, s, id) => ({
      ...(p === 'source' || p === 'prometheus-url' ? {} : { source: `${httpBase('answer', id)}/canary.json` }),
      timeout: '1s',
    }),
  },
  notify: {
    inputs: (p, _s, id) => ({
      ...(p === 'webhook-url' ? {} : { 'webhook-url': `${httpBase('answer', id)}/hooks/plain` }),
      event: 'start',
      timeout: '1s',
    }),
  },
  'policy-signatures': {
    inputs: () => ({ files: 'policy/*.rego' }),
    files: (ws) => {
      mkdirSync(path.join(ws, 'policy'), { recursive: true })
      writeFileSync(path.join(ws, 'policy', 'a.rego'), 'package a\n')
      writeFileSync(path.join(ws, 'policy', 'a.rego.sig'), 'c2lnbmF0dXJl\n')
    },
  },
  decide: {
    inputs: () => ({ reports: 'cutover-reports' }),
    files: (ws) => mkdirSync(path.join(ws, 'cutover-reports'), { recursive: true }),
  },
  'dr-drill': {
    inputs: (p): Record<string, string> =>
      p === 'postgres-url' ? { rto: '1s', timeout: '3s' } : { 'restore-command': 'true', 'verify-command': 'true' },
  },
  evidence: {
    inputs: () => ({ path: 'evidence' }),
    files: (ws) => {
      mkdirSync(path.join(ws, 'evidence'), { recursive: true })
      writeFileSync(path.join(ws, 'evidence', 'a.txt'), 'a\n')
      writeFileSync(path.join(ws, 'evidence', 'SHA256SUMS'), 'a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478  a.txt\n')
      writeFileSync(path.join(ws, 'evidence', 'SHA256SUMS.sig'), 'c2lnbmF0dXJl\n')
    },
  },
  'key-rotation': { inputs: () => ({ 'github-secrets': 'repository' }) },
  'approval-guard': { inputs: () => ({ environment: 'production' }) },
  command: {
    inputs: (p): Record<string, string> =>
      p === 'run' ? {} : { run: 'echo "API_TOKEN is $API_TOKEN"; echo "${DB_PASSWORD:-}" >&2', timeout: '10s' },
  },
  window: { inputs: () => ({ allow: 'Sun 02:00-06:00 Europe/Vienna', 'as-of': '2026-06-07T01:00:00Z' }) },
  'release-freeze': { inputs: () => ({ branch: 'release/1.2' }) },
  'security-alerts': { inputs: () => ({}) },
  sql: {
    inputs: (p) => ({
      ...(p === 'postgres-url' ? {} : { 'postgres-url': 'postgresql://u@127.0.0.1:1/app' }),
      query: 'SELECT 1',
      'expect-rows': 'some',
      timeout: '3s',
    }),
  },
  smoke: {
    inputs: (p, s, id): Record<string, string> =>
      p === 'steps'
        ? { timeout: '1s' }
        : { steps: `- name: probe\n  url: ${httpBase(s === 'as-given' ? 'answer' : s, id)}/probe`, timeout: '1s' },
  },
}

/** Inputs whose names sound secret but are not, each with the reason. */
const NOT_SECRET: Record<string, string> = {
  'key-rotation/github-secrets': 'scope names (`repository`, `environment:<name>`)',
  'key-rotation/max-secret-age': 'a duration',
  'security-alerts/secret-scanning': 'a switch (`on` or `off`) for the secret-scanning check',
}
const SECRET_NAME = /token|key|secret|passw|credential|auth|url|header|webhook|dsn|cookie/i

interface SecretInput {
  gate: string
  input: string
  spec: InputSpec
  kind: Kind | undefined
  common: boolean
}

function inventory(): SecretInput[] {
  return Object.entries(gates).flatMap(([gate, g]) =>
    Object.entries({ ...commonInputs, ...g.inputs } as InputSpecs)
      .filter(([, spec]) => spec.secret)
      .map(([input, spec]) => ({ gate, input, spec, kind: KINDS.get(spec.secret), common: input in commonInputs })),
  )
}

interface Case {
  title: string
  gate: string
  input: string
  form: Form
  scenario: Scenario
  /** Through the checklist action (cutover.yml with `${NAME}`) instead of the gate's own action. */
  checklist: boolean
}

/** Would the input take this value? Then its network scenarios apply; else it is the refused path. */
function accepts(spec: InputSpec, name: string, value: string): boolean {
  try {
    parseInputs({ [name]: spec }, { [name]: value })
    return true
  } catch {
    return false
  }
}

function cases(): Case[] {
  const out: Case[] = []
  for (const s of inventory()) {
    if (!s.kind) continue
    // github-token reaches the network only as GitHub's credential; other tokens (HMAC keys) never leave.
    const isGithubToken = s.spec === commonInputs['github-token']
    for (const form of FORMS[s.kind]) {
      const network =
        form.scenarios?.length && (s.kind !== 'token' || isGithubToken) && accepts(s.spec, s.input, form.value('answer', 'probe'))
      // The common token is the same input in every gate; its network paths differ only where the gate calls GitHub.
      for (const scenario of network ? form.scenarios! : (['as-given'] as Scenario[])) {
        out.push({
          title: `${s.gate} \`${s.input}\`: ${form.name}, ${scenario}`,
          gate: s.gate,
          input: s.input,
          form,
          scenario,
          checklist: false,
        })
      }
    }
  }
  // The checklist action takes the same values from cutover.yml, through `${NAME}`: every form of
  // every gate input (not the common token, which is the checklist's own input), in one scenario each.
  for (const s of inventory()) {
    if (!s.kind || s.common) continue
    for (const form of FORMS[s.kind]) {
      const network = form.scenarios?.length && s.kind !== 'token' && accepts(s.spec, s.input, form.value('answer', 'probe'))
      const scenario: Scenario = network ? (form.scenarios!.find((x) => x !== 'answer') ?? form.scenarios![0]) : 'as-given'
      out.push({
        title: `checklist → ${s.gate} \`${s.input}\`: ${form.name}, ${scenario}`,
        gate: s.gate,
        input: s.input,
        form,
        scenario,
        checklist: true,
      })
    }
  }
  // URL user-info is secret whichever input holds it: a URL with a password in every other input of
  // every gate (a restore command that fetches a backup, a duration pasted wrong).
  for (const [gate, g] of Object.entries(gates)) {
    for (const [input, spec] of Object.entries(g.inputs as InputSpecs)) {
      if (spec.secret) continue
      out.push({
        title: `${gate} \`${input}\` (not secret): ${EMBEDDED.name}`,
        gate,
        input,
        form: EMBEDDED,
        scenario: 'as-given',
        checklist: false,
      })
    }
  }
  return out.map((c, i) => ({ ...c, title: `#${i + 1} ${c.title}` }))
}

// ---------------------------------------------------------------------------------------------
// Running one case and reading every channel

interface Outcome {
  run: ActionRun
  channels: Record<string, string>
  /** Requests our servers received for this case. */
  reached: Received[]
  github: FakeGitHub
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile())
}

async function runCase(c: Case, id: string): Promise<Outcome> {
  const ws = mkdtempSync(path.join(tmpdir(), 'planted-'))
  const base = BASELINES[c.gate]
  base.files?.(ws)
  const value = c.form.value(c.scenario, id)
  const github = await startFakeGitHub()
  if (c.scenario === '401' && c.input === 'github-token') {
    for (const op of [
      'checks/create',
      'checks/update',
      'repos/get-environment',
      'actions/list-repo-secrets',
      'actions/get-reviews-for-run',
      'repos/list-deployment-branch-policies',
      'actions/get-workflow-run',
    ])
      github.on(op, (req) => ({ status: 401, body: { message: `Bad credentials: ${String(req.headers.authorization)}`, status: '401' } }))
  }
  const apiUrl = c.input === 'github-token' && c.scenario === 'unreachable' ? UNREACHABLE_API_URL : github.url
  const before = received.length
  try {
    const gateInputs = { ...base.inputs(c.input, c.scenario, id), ...(c.input in commonInputs ? {} : { [c.input]: value }) }
    const common = c.input in commonInputs ? { [c.input]: value } : {}
    let run: ActionRun
    if (c.checklist) {
      // YAML is a superset of JSON: the planted value arrives through `${PLANTED}`, as a secret would.
      const withBlock = Object.fromEntries(Object.entries(gateInputs).map(([k, v]) => [k, k === c.input ? '${PLANTED}' : v]))
      writeFileSync(path.join(ws, 'cutover.yml'), JSON.stringify({ version: 1, gates: [{ id: 'g', uses: c.gate, with: withBlock }] }))
      run = await runAction('checklist', { inputs: common, apiUrl, cwd: ws, env: { PLANTED: value } })
    } else {
      run = await runAction(c.gate, { inputs: { ...gateInputs, ...common }, apiUrl, cwd: ws })
    }
    const mine = new RegExp(`/${id}(?:[/?]|$)`)
    const reached = received.slice(before).filter((r) => mine.test(r.url))
    const channels: Record<string, string> = {
      log: run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
      stderr: run.stderr,
      summary: run.summary,
      outputs: JSON.stringify(run.outputs),
      'file commands': JSON.stringify({ state: run.state, env: run.exportedEnv, path: run.addedPath }),
      ...Object.fromEntries(filesUnder(ws).map((f) => [`file ${path.relative(ws, f)}`, readFileSync(f, 'utf8')])),
      // Bodies only: a path or query is the API call the gate means to make (approval-guard asks for the environment it was given).
      'github request bodies': JSON.stringify([...github.requests.map((r) => r.body), ...github.invalid.map((r) => r.body)]),
      'bodies our servers received': reached.map((r) => r.body).join('\n'),
    }
    return { run, channels, reached, github }
  } finally {
    await github.close()
    rmSync(ws, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// The tests

const CASES: Case[] = []
const figures = { cases: 0, channels: 0, files: 0 }

beforeAll(async () => {
  scenarioServer = http.createServer((req, res) => void onScenario(req, res))
  otherServer = http.createServer((req, res) => void onOther(req, res))
  pgAuth = net.createServer((s) => pgServer(s, true))
  pgSilent = net.createServer((s) => pgServer(s, false))
  A = `http://127.0.0.1:${await listen(scenarioServer)}`
  B = `http://localhost:${await listen(otherServer)}`
  pgAuthPort = await listen(pgAuth)
  pgSilentPort = await listen(pgSilent)
})

afterAll(async () => {
  for (const s of sockets) s.destroy()
  await Promise.all([scenarioServer, otherServer, pgAuth, pgSilent].map((s) => new Promise((r) => s?.close(r))))
  const secretInputs = inventory().length
  const otherInputs = CASES.filter((c) => c.form === EMBEDDED).length
  console.log(
    `planted-secret test: ${CASES.length} cases generated from the specs: ${CASES.length - otherInputs} over ${secretInputs} secret inputs of ${Object.keys(gates).length} gates ` +
      `(${CASES.filter((c) => c.checklist).length} of them through the checklist action), and ${otherInputs} with a URL password in every other input; ` +
      `${figures.cases} run, ${figures.channels} channels checked (${figures.files} of them files left in the workspace), each against ${needles().length} planted needles`,
  )
})

realKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
CASES.push(...cases())

describe('the inventory comes from the specs', () => {
  it('every secret input has a kind we can plant, and every gate a baseline', () => {
    const unknown = inventory().filter((s) => !s.kind)
    expect(
      unknown.map((s) => `${s.gate}/${s.input}`),
      'secret derivations without planted forms: add them to KINDS and FORMS',
    ).toEqual([])
    expect(Object.keys(gates).filter((g) => !BASELINES[g])).toEqual([])
  })

  it('an input whose name sounds secret is registered secret (or listed here with the reason it is not)', () => {
    const suspicious = Object.entries(gates).flatMap(([gate, g]) =>
      Object.entries(g.inputs as InputSpecs)
        .filter(([name, spec]) => SECRET_NAME.test(name) && !spec.secret && !NOT_SECRET[`${gate}/${name}`])
        .map(([name]) => `${gate}/${name}`),
    )
    expect(suspicious).toEqual([])
  })

  it('the dist bundles are present (npm run build)', () => {
    for (const g of [...Object.keys(gates), 'checklist']) expect(existsSync(path.join(REPO_ROOT, 'dist', g, 'index.js')), g).toBe(true)
  })
})

describe('the detector finds a planted secret in every form a channel may hold it', () => {
  const forms: [string, string][] = [
    ['as is', `x ${TOKEN} y`],
    ['upper case', `x ${TOKEN.toUpperCase()} y`],
    ['percent-encoded', `x ${encodeURIComponent(PASSWORD)} y`],
    ['percent-encoded twice', `x ${encodeURIComponent(encodeURIComponent(PASSWORD))} y`],
    ['JSON-escaped slashes', `{"e":"${PASSWORD.replace(/\//g, '\\/')}"}`],
    ['split across a line break', `x ${TOKEN.slice(0, 9)}\n   ${TOKEN.slice(9)} y`],
    ['cut by an ellipsis', `invalid token ${TOKEN.slice(0, 9)}…`],
    ['one piece of a password a parser cut at #', 'https://Pw7qR2x9/'],
    ['Basic credentials', `Authorization: Basic ${BASIC}`],
    ['a short secret where a query shows it', `?k=${SHORT}&v=1`],
  ]
  it.each(forms)('%s', (_what, text) => expect(findLeak(text)).toBeDefined())
  it('and nothing in a clean text', () =>
    expect(findLeak('readyz: FAIL: https://***@127.0.0.1:1/probe?access_token=***&k=***&v=1')).toBeUndefined())
})

describe('a planted secret appears in no channel', () => {
  it('cases were generated for every secret input of every gate, and through the checklist', () => {
    const covered = new Set(CASES.map((c) => `${c.gate}/${c.input}`))
    for (const s of inventory()) expect(covered.has(`${s.gate}/${s.input}`), `${s.gate}/${s.input}`).toBe(true)
    expect(CASES.some((c) => c.checklist)).toBe(true)
  })

  // Side by side: most of a case is waiting (timeouts, retries), and each has its own workspace, fake GitHub and paths.
  it.concurrent.each(CASES.map((c, i) => [c.title, c, `c${i + 1}`] as const))('%s', async (_title, c, id) => {
    const o = await runCase(c, id)
    expect(o.run.timedOut, 'the action hung').toBe(false)
    // Something was said: a summary, or (a refused common input writes nothing) a failed step.
    expect(o.run.summary !== '' || o.run.code !== 0, 'the action neither wrote a summary nor failed').toBe(true)
    if (process.env.PLANTED_DEBUG) console.log(c.title, JSON.stringify(o.channels, null, 1).slice(0, 6000))
    const leaks: string[] = []
    for (const [name, text] of Object.entries(o.channels)) {
      const leak = findLeak(text)
      if (leak) leaks.push(`${name}: ${leak}`)
    }
    figures.cases++
    figures.channels += Object.keys(o.channels).length
    figures.files += Object.keys(o.channels).filter((k) => k.startsWith('file ')).length
    expect(leaks).toEqual([])
    // A case that never put the secret to use proves nothing: the network ones must have reached the server.
    if (['answer', '401', 'timeout', 'redirect', 'auth-refused'].includes(c.scenario) && c.input !== 'github-token')
      expect(o.reached.length, 'the planted value never reached the server').toBeGreaterThan(0)
    if (c.input === 'github-token' && (c.scenario === 'answer' || c.scenario === '401'))
      expect(o.github.requests.some((r) => String(r.headers.authorization).includes(TOKEN))).toBe(true)
    // Secret headers never cross to another origin.
    for (const r of o.reached.filter((x) => x.server === 'B'))
      expect(findLeak(JSON.stringify(r.headers)), 'a secret crossed origins').toBeUndefined()
  })
})
