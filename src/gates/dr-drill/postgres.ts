/**
 * PostgreSQL through its own client programs (`psql`, `pg_restore`) run as child processes:
 * the drill restores with the very tool an operator would use, and no driver is bundled.
 *
 * The connection URL is a secret. It is taken apart here: the password (from the userinfo or a
 * `password=` parameter) travels to the child in PGPASSWORD, never on a command line that `ps`
 * shows, and messages name the server as `host:port/database` only.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { InputFormError } from '../../core/units.js'
import type { FilePort, ProcessPort, RunOutcome } from '../../core/gate.js'

export const PG_URL_FORM =
  'a postgresql:// URL such as postgresql://user:password@db.example.com:5432/postgres (special characters in the password percent-encoded)'

export interface PgTarget {
  /** `host:port/database`: what messages may show. */
  display: string
  /** The database named in the URL (undefined: libpq's default, the user name). */
  database?: string
  /** A connection URI without any password, for the command line. */
  uri(database?: string): string
  /** Variables the client needs beyond the URI (PGPASSWORD). */
  env: Record<string, string>
  /** Strings to mask wherever output is shown. */
  secrets: string[]
}

const HOSTSPEC = /^[A-Za-z0-9._~%:[\],-]*$/

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new InputFormError('(value hidden)', `${PG_URL_FORM}; a %-escape in it is malformed`)
  }
}

/** Parses a libpq connection URI (the WHATWG URL parser rejects valid forms such as multiple hosts). */
export function parsePostgresUrl(raw: string): PgTarget {
  const text = raw.trim()
  const m = /^postgres(?:ql)?:\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(text)
  if (!m) throw new InputFormError('(value hidden)', PG_URL_FORM)
  const authority = m[1]
  const at = authority.lastIndexOf('@')
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined
  const hostspec = at >= 0 ? authority.slice(at + 1) : authority
  // An unencoded `/` or `@` in a password splits the URL in the wrong place: refuse, rather than
  // show half a password as a host or database name.
  if (!HOSTSPEC.test(hostspec) || (m[2] ?? '').includes('@')) {
    throw new InputFormError('(value hidden)', `${PG_URL_FORM}; percent-encode / @ : in the user name and password`)
  }
  let user: string | undefined
  let password: string | undefined
  const secrets = [text]
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':')
    user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo) || undefined
    if (colon >= 0) {
      const encoded = userinfo.slice(colon + 1)
      password = decode(encoded)
      secrets.push(encoded, password)
    }
  }
  const path = m[2] ? decode(m[2].slice(1)) : ''
  const params: [string, string][] = []
  let database = path || undefined
  let socketHost: string | undefined
  let port: string | undefined
  for (const pair of (m[3] ?? '').slice(1).split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new InputFormError('(value hidden)', `${PG_URL_FORM}; each parameter after ? is written name=value`)
    const key = decode(pair.slice(0, eq))
    const value = decode(pair.slice(eq + 1))
    if (key === 'password') {
      password = value
      secrets.push(pair.slice(eq + 1), value)
      continue
    }
    if (key === 'dbname') database = value
    else if (key === 'host') socketHost = value
    else if (key === 'port') port = value
    if (key !== 'dbname') params.push([key, value])
  }
  // `user:password` too: the redactor masks its base64 (Basic) form, which a proxy may quote back.
  if (user !== undefined && password !== undefined) secrets.push(`${user}:${password}`)
  const host = hostspec || (socketHost ? `socket ${socketHost}` : 'local socket')
  const shownHost = port && !/:\d+$/.test(hostspec) ? `${host}:${port}` : host
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const userPart = user ? `${encodeURIComponent(user)}@` : ''
  return {
    display: `${shownHost}/${database ?? '(default database)'}`,
    ...(database !== undefined ? { database } : {}),
    uri: (db = database) =>
      `postgresql://${userPart}${hostspec}/${db !== undefined ? encodeURIComponent(db) : ''}${query ? `?${query}` : ''}`,
    env: password !== undefined ? { PGPASSWORD: password } : {},
    secrets: secrets.filter((s) => s.length > 0),
  }
}

/** The strings to mask for a `postgres-url` input, even one that does not parse. */
export function postgresSecrets(raw: string): string[] {
  try {
    return parsePostgresUrl(raw).secrets
  } catch {
    const out = [raw.trim()]
    const pw = /:\/\/[^:/@]*:([^@]*)@/.exec(raw)
    if (pw) out.push(pw[1])
    return out
  }
}

export interface PgRun {
  /** The gate's process and file ports (ctx.exec, ctx.fs). */
  exec: ProcessPort
  fs: Pick<FilePort, 'existsSync' | 'readdirSync' | 'realpathSync'>
  cwd: string
  env: Record<string, string | undefined>
  now: () => number
  limitMs: number
  signal?: AbortSignal
  onTick?: (elapsedMs: number) => void
  tickMs?: number
}

const tools = new Map<string, string>()

/**
 * The client program to run. Debian and Ubuntu put a Perl dispatcher (`pg_wrapper`) on PATH
 * that costs ~0.3s per start; for a remote server it would pick the newest installed client,
 * so we go straight to that binary. Anything else on PATH (a specific version's bin folder,
 * another distribution's binary) is used as found.
 */
export function pgTool(
  name: 'psql' | 'pg_restore',
  env: Record<string, string | undefined>,
  fs: Pick<FilePort, 'existsSync' | 'readdirSync' | 'realpathSync'>,
): string {
  const key = `${name}\0${env.PATH ?? ''}`
  const known = tools.get(key)
  if (known) return known
  let found: string = name
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, name)
    if (!fs.existsSync(candidate)) continue
    found = candidate
    try {
      if (path.basename(fs.realpathSync(candidate)) === 'pg_wrapper') {
        const root = '/usr/lib/postgresql'
        const newest = fs
          .readdirSync(root)
          .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', name)))
          .sort((a, b) => Number(b) - Number(a))[0]
        if (newest) found = path.join(root, newest, 'bin', name)
      }
    } catch {
      // keep the PATH entry
    }
    break
  }
  tools.set(key, found)
  return found
}

function clientEnv(target: PgTarget, base: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    ...base,
    PGCONNECT_TIMEOUT: base.PGCONNECT_TIMEOUT ?? '10',
    PGAPPNAME: 'cutover-dr-drill',
    ...target.env,
  }
}

/** Runs SQL through psql, stopping at the first error; `csv` prints only the last result, with a header. */
export function psql(target: PgTarget, sql: string[], run: PgRun, opts: { database?: string; csv?: boolean } = {}): Promise<RunOutcome> {
  const format = opts.csv ? ['--csv', '-v', 'SHOW_ALL_RESULTS=off'] : ['-A', '-t']
  return run.exec({
    argv: [
      pgTool('psql', run.env, run.fs),
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      ...format,
      '-d',
      target.uri(opts.database ?? target.database),
      ...sql.flatMap((s) => ['-c', s]),
    ],
    cwd: run.cwd,
    env: clientEnv(target, run.env),
    limitMs: run.limitMs,
    captureStdout: 1024 * 1024,
    now: run.now,
    ...(run.signal ? { signal: run.signal } : {}),
  })
}

/** `cutover_drill_` and 12 random hex digits: never an existing database, safe unquoted. */
export function scratchName(): string {
  return `cutover_drill_${randomBytes(6).toString('hex')}`
}

export function createScratch(target: PgTarget, name: string, run: PgRun): Promise<RunOutcome> {
  // template0: objects someone added to template1 would clash with the dump's own.
  return psql(target, [`CREATE DATABASE "${name}" TEMPLATE template0`], run)
}

/** Drops the scratch database, first ending any session still in it (e.g. a killed restore's). */
export function dropScratch(target: PgTarget, name: string, run: PgRun): Promise<RunOutcome> {
  return psql(
    target,
    [
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
      `DROP DATABASE IF EXISTS "${name}"`,
    ],
    run,
  )
}

/** Whether a database of that name exists (to prove the drop). */
export async function databaseExists(target: PgTarget, name: string, run: PgRun): Promise<boolean | undefined> {
  const r = await psql(target, [`SELECT count(*) FROM pg_database WHERE datname = '${name}'`], run)
  if (r.code !== 0) return undefined
  return r.stdout.trim() === '1'
}

export function pgRestore(target: PgTarget, name: string, dump: string, run: PgRun): Promise<RunOutcome> {
  // --no-owner/--no-acl: the drill server need not have production's roles; ownership and
  // grants are not what a restore drill proves. --exit-on-error: a half-restored database is a failure.
  return run.exec({
    argv: [pgTool('pg_restore', run.env, run.fs), '--no-owner', '--no-acl', '--exit-on-error', '-d', target.uri(name), dump],
    cwd: run.cwd,
    env: clientEnv(target, run.env),
    limitMs: run.limitMs,
    now: run.now,
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.onTick ? { onTick: run.onTick, tickMs: run.tickMs } : {}),
  })
}

// ---------------------------------------------------------------------------------------------
// The archiver

export interface ArchiverStatus {
  inRecovery: boolean
  archiveMode: string
  segmentSize: number
  /** Current write position and its WAL file (absent on a standby). */
  lsn?: string
  wal?: string
  /** Server clock, seconds since the epoch: ages of server timestamps are taken against it. */
  now: number
  archivedCount: number
  lastArchivedWal?: string
  lastArchivedTime?: number
  failedCount: number
  lastFailedWal?: string
  lastFailedTime?: number
}

export const ARCHIVER_SQL = `SELECT json_build_object(
  'in_recovery', pg_is_in_recovery(),
  'archive_mode', current_setting('archive_mode'),
  'segment_size', pg_size_bytes(current_setting('wal_segment_size')),
  'lsn', CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END,
  'wal', CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END,
  'now', extract(epoch FROM clock_timestamp()),
  'archived_count', a.archived_count,
  'last_archived_wal', a.last_archived_wal,
  'last_archived_time', extract(epoch FROM a.last_archived_time),
  'failed_count', a.failed_count,
  'last_failed_wal', a.last_failed_wal,
  'last_failed_time', extract(epoch FROM a.last_failed_time)
) FROM pg_stat_archiver a`

export class AnswerError extends Error {}

/** Reads psql's one-line JSON answer to ARCHIVER_SQL; AnswerError when it is not that. */
export function parseArchiverAnswer(text: string): ArchiverStatus {
  let v: Record<string, unknown>
  try {
    v = JSON.parse(text.trim()) as Record<string, unknown>
  } catch {
    throw new AnswerError('psql did not print the expected JSON row')
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new AnswerError('psql did not print the expected JSON row')
  const num = (k: string, optional = false): number | undefined => {
    const x = v[k]
    if ((x === null || x === undefined) && optional) return undefined
    const n = typeof x === 'string' ? Number(x) : x
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new AnswerError(`the server's ${k} is ${JSON.stringify(x)}, not a number`)
    return n
  }
  const str = (k: string, optional = false): string | undefined => {
    const x = v[k]
    if ((x === null || x === undefined) && optional) return undefined
    if (typeof x !== 'string') throw new AnswerError(`the server's ${k} is ${JSON.stringify(x)}, not text`)
    return x
  }
  if (typeof v.in_recovery !== 'boolean') throw new AnswerError('the server did not say whether it is in recovery')
  const out: ArchiverStatus = {
    inRecovery: v.in_recovery,
    archiveMode: str('archive_mode')!,
    segmentSize: num('segment_size')!,
    now: num('now')!,
    archivedCount: num('archived_count')!,
    failedCount: num('failed_count')!,
  }
  const opt = <K extends keyof ArchiverStatus>(key: K, value: ArchiverStatus[K] | undefined) => {
    if (value !== undefined) out[key] = value
  }
  opt('lsn', str('lsn', true))
  opt('wal', str('wal', true))
  opt('lastArchivedWal', str('last_archived_wal', true))
  opt('lastArchivedTime', num('last_archived_time', true))
  opt('lastFailedWal', str('last_failed_wal', true))
  opt('lastFailedTime', num('last_failed_time', true))
  return out
}

export async function archiverStatus(target: PgTarget, run: PgRun): Promise<{ status?: ArchiverStatus; run: RunOutcome; error?: string }> {
  const r = await psql(target, [ARCHIVER_SQL], run)
  if (r.code !== 0 || r.timedOut || r.spawnError) return { run: r }
  try {
    return { status: parseArchiverAnswer(r.stdout), run: r }
  } catch (err) {
    return { run: r, error: (err as Error).message }
  }
}

// ---------------------------------------------------------------------------------------------
// verify-sql

/** RFC 4180 records, as psql --csv writes them (quoted fields may hold commas, quotes, newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const body = text.replace(/\r?\n$/, '')
  if (body === '') return rows
  while (i < body.length) {
    const c = body[i]
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else field += c
      i++
      continue
    }
    if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''))
      rows.push(row)
      row = []
      field = ''
    } else field += c
    i++
  }
  row.push(field)
  rows.push(row)
  return rows
}

export interface SqlVerdict {
  ok: boolean
  /** `t`, `42`, `no rows`, `false`: what the first cell said. */
  observed: string
  why: string
}

/**
 * verify-sql passes when its last statement returns a row whose first value is neither false
 * nor NULL/empty: `SELECT count(*) = 1000 FROM orders` or `SELECT 1 FROM orders LIMIT 1`.
 */
export function judgeVerifyOutput(csv: string): SqlVerdict {
  const rows = parseCsv(csv)
  if (rows.length === 0)
    return { ok: false, observed: 'no result', why: 'its last statement returned no result set (end it with a SELECT)' }
  const [header, ...data] = rows
  if (data.length === 0) return { ok: false, observed: 'no rows', why: `it returned no rows (column ${header[0] ?? '?'})` }
  const first = data[0][0] ?? ''
  const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first
  if (first === 'f' || first.toLowerCase() === 'false') return { ok: false, observed: 'false', why: 'its first value is false' }
  if (first === '') return { ok: false, observed: 'NULL', why: 'its first value is NULL or empty' }
  return { ok: true, observed: `${shown}${data.length > 1 ? ` (+${data.length - 1} more row${data.length > 2 ? 's' : ''})` : ''}`, why: '' }
}
