/**
 * The sql gate's inputs: where the database is (a secret), the one read-only statement to run,
 * and what its answer must be: how many rows (`expect-rows`) and what every row holds (`expect`).
 */
import type { ActionMeta } from '../../core/gate.js'
import { input, rules } from '../../core/inputs.js'
import { InputFormError, boundedDuration, parseList } from '../../core/units.js'
import { urlSecrets } from '../../lib/url.js'

export const PG_URL_FORM =
  'a postgresql:// URL such as postgresql://user:password@db.example.com:5432/app (special characters in the user name and password percent-encoded)'

export interface PgTarget {
  /** What pg connects with. */
  connectionString: string
  /** `host:port/database`: all of the URL that messages may show. */
  display: string
}

/**
 * Query parameters that would override the gate's own limits: node-postgres lets a URL's
 * parameters win over its config, so they are taken out before it sees the URL.
 */
const LIMIT_PARAMS = [
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'query_timeout',
  'connectionTimeoutMillis',
]

/** Never quotes the URL: it holds the password. */
export function parsePgUrl(raw: string): PgTarget {
  const text = raw.trim()
  const m = /^postgres(?:ql)?:\/\/(.*)$/s.exec(text)
  if (!m) throw new InputFormError('(hidden)', PG_URL_FORM)
  const rest = m[1]
  const at = rest.lastIndexOf('@')
  // A raw `/`, `?` or `#` in the password ends the authority early: pg would connect to the wrong
  // host, and a message would show part of the password as a host name.
  if (at >= 0 && /[/?#]/.test(rest.slice(0, at)))
    throw new InputFormError('(hidden)', `${PG_URL_FORM}; percent-encode / ? # @ in the user name and password`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputFormError('(hidden)', `${PG_URL_FORM}; this one does not parse as a URL`)
  }
  const host = url.hostname || url.searchParams.get('host') || ''
  if (host === '') throw new InputFormError('(hidden)', `${PG_URL_FORM}; it names no host`)
  if (url.search.includes('password=') && url.password)
    throw new InputFormError('(hidden)', `${PG_URL_FORM}; give the password once, in the user-info or as password=, not both`)
  let connectionString = text
  if (LIMIT_PARAMS.some((k) => url.searchParams.has(k))) {
    for (const k of LIMIT_PARAMS) url.searchParams.delete(k)
    connectionString = url.href
  }
  let database = url.pathname.replace(/^\//, '')
  try {
    database = decodeURIComponent(database)
  } catch {
    // shown as written
  }
  const user = safe(url.username)
  return {
    connectionString,
    display: `${host.startsWith('/') ? `socket ${host}` : host}:${url.port || '5432'}/${database || `(the database of user ${user || '(default)'})`}`,
  }
}

function safe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** What to mask for `postgres-url`, even one that does not parse: the URL, its password in every form. */
export function pgUrlSecrets(raw: string): string[] {
  return [raw.trim(), ...urlSecrets(raw.trim())]
}

export type RowCount =
  { kind: 'none' } | { kind: 'some' } | { kind: 'compare'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; n: number; text: string }

export const ROWS_FORM = '`none`, `some`, or a count comparison such as `>= 3`, `= 1` or `< 10`'

export function parseRowCount(raw: string): RowCount {
  const t = raw.trim().toLowerCase()
  if (t === 'none') return { kind: 'none' }
  if (t === 'some') return { kind: 'some' }
  const m = /^(==?|!=|<=|>=|<|>)?\s*(\d{1,9})$/.exec(t)
  if (!m) throw new InputFormError(raw, ROWS_FORM)
  const op = (m[1] === '==' || !m[1] ? '=' : m[1]) as Extract<RowCount, { kind: 'compare' }>['op']
  const n = Number(m[2])
  const count: RowCount = { kind: 'compare', op, n, text: `${op} ${n}` }
  // A comparison every count satisfies checks nothing; one no count satisfies can never pass.
  if (op === '>=' && n === 0) throw new InputFormError(raw, `${ROWS_FORM}; \`>= 0\` holds for any answer, so it checks nothing`)
  if (op === '<' && n === 0) throw new InputFormError(raw, `${ROWS_FORM}; no answer has fewer than 0 rows`)
  return count
}

export function rowCountHolds(c: RowCount, rows: number): boolean {
  if (c.kind === 'none') return rows === 0
  if (c.kind === 'some') return rows > 0
  switch (c.op) {
    case '=':
      return rows === c.n
    case '!=':
      return rows !== c.n
    case '<':
      return rows < c.n
    case '<=':
      return rows <= c.n
    case '>':
      return rows > c.n
    case '>=':
      return rows >= c.n
  }
}

/** Only an empty answer satisfies it: `none`, `= 0`, `<= 0`, `< 1`. */
export function onlyZero(c: RowCount): boolean {
  return (
    c.kind === 'none' ||
    (c.kind === 'compare' && ((c.op === '=' && c.n === 0) || (c.op === '<=' && c.n === 0) || (c.op === '<' && c.n === 1)))
  )
}

export function describeRowCount(c: RowCount): string {
  if (c.kind === 'none') return 'no rows'
  if (c.kind === 'some') return 'at least 1 row'
  const unit = c.n === 1 ? 'row' : 'rows'
  const words: Record<typeof c.op, string> = {
    '=': `exactly ${c.n} ${unit}`,
    '!=': `any number of rows but ${c.n}`,
    '<': `fewer than ${c.n} rows`,
    '<=': `at most ${c.n} ${unit}`,
    '>': `more than ${c.n} ${unit}`,
    '>=': `at least ${c.n} ${unit}`,
  }
  return words[c.op]
}

export interface ColumnAssertion {
  /** As written, normalised: `status=PASS`. */
  text: string
  column: string
  value: string
}

export const EXPECT_FORM = 'assertions written `column=value`, one per line, such as status=PASS (quotes around the value are optional)'

export function parseColumnAssertions(raw: string): ColumnAssertion[] {
  const lines = parseList(raw)
  if (lines.length === 0) throw new InputFormError(raw, EXPECT_FORM)
  const seen = new Set<string>()
  return lines.map((line) => {
    const eq = line.indexOf('=')
    if (eq <= 0) throw new InputFormError(line, EXPECT_FORM)
    const column = line.slice(0, eq).trim()
    let value = line.slice(eq + 1).trim()
    const q = /^(['"])(.*)\1$/s.exec(value)
    if (q) value = q[2]
    if (column === '' || /\s/.test(column)) throw new InputFormError(line, EXPECT_FORM)
    if (seen.has(column)) throw new InputFormError(line, `${EXPECT_FORM}, one assertion per column (\`${column}\` is given twice)`)
    seen.add(column)
    return { text: `${column}=${value}`, column, value }
  })
}

const MINUTE = 60_000
export const TIMEOUT_FORM = 'a duration above zero and at most 10m, such as 5s or 30s'

export const sqlInputs = {
  'postgres-url': input.custom(
    'string',
    PG_URL_FORM,
    parsePgUrl,
  )(
    'The PostgreSQL server, as a postgresql:// URL; treated as a secret (the password never appears in logs, reports or errors). Use a role that may only read.',
    { required: true, secret: pgUrlSecrets },
  ),
  query: input.string(
    'One SQL statement, run in a READ ONLY transaction that is always rolled back, with the statement timeout set to `timeout`, such as `SELECT * FROM verify_final_hardening()`.',
    { required: true },
  ),
  'expect-rows': input.custom(
    'string',
    ROWS_FORM,
    parseRowCount,
  )(
    'How many rows the answer must have: `none` (such as an ACL scan that must find nothing), `some`, or a comparison such as `>= 3`. With `expect` and without this, at least one row.',
  ),
  expect: input.custom(
    'list',
    EXPECT_FORM,
    parseColumnAssertions,
  )(
    'Assertions `column=value` that every row must satisfy, one per line, such as `status=PASS`; values are compared with the text PostgreSQL returns (booleans also as true/false), and zero rows is never a pass.',
  ),
  timeout: input.custom(
    'string',
    TIMEOUT_FORM,
    boundedDuration(1, 10 * MINUTE, TIMEOUT_FORM),
  )('Time limit for connecting and for the statement (the server cancels it), such as 30s.', { default: '30s' }),
}

const r = rules(sqlInputs)

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const sqlAction = {
  title: 'Read-only SQL check',
  description:
    'Run one read-only SQL statement against PostgreSQL (such as verify_final_hardening() or an ACL scan) and gate on its answer: how many rows, and a column=value every row must hold; failing rows are named, the password is never shown.',
  branding: { icon: 'database', color: 'blue' },
  rules: [r.atLeastOne('expect-rows', 'expect')],
  example: {
    'postgres-url': '${{ secrets.PROD_DB_URL }}',
    query: 'SELECT * FROM verify_final_hardening()',
    expect: 'status=PASS',
  },
} satisfies ActionMeta
