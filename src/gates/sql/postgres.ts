/**
 * One read-only statement through node-postgres, streamed row by row.
 *
 * Read-only is PostgreSQL's own guarantee, not a parse of the SQL: the session starts with
 * `default_transaction_read_only`, the statement runs inside `BEGIN READ ONLY` and is always
 * rolled back, and it goes through the extended query protocol, which takes exactly one
 * statement, so `COMMIT; DELETE ...` cannot step out of the transaction. Statement, lock and
 * idle timeouts are set inside the transaction, where nothing in the URL can lift them.
 *
 * Values arrive as the text PostgreSQL sends (what psql shows), so an assertion compares what
 * a person reading the runbook's `psql` output would compare.
 */
import pg from 'pg'
import type { PgTarget } from './spec.js'

/** The server's own type for booleans, so `true`/`false` can be written for `t`/`f`. */
export const BOOL_OID = 16

export interface Column {
  name: string
  dataTypeID: number
}

export type Cell = string | null

export interface Answer {
  columns: Column[]
  rows: number
  /** The command tag (`SELECT`, `SHOW`, ...). */
  command: string
}

export type Stage = 'connect' | 'transaction' | 'query'

/** Why no answer came, with what pg and the server said (messages are masked by the caller). */
export class PgFailure extends Error {
  constructor(
    readonly stage: Stage,
    readonly code: string | undefined,
    message: string,
    readonly detail: { position?: number; hint?: string; timedOut?: boolean; cancelled?: boolean } = {},
  ) {
    super(message)
  }
}

/** Every value as text: the form psql shows and assertions compare. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value }

export interface QueryRun {
  target: PgTarget
  sql: string
  timeoutMs: number
  signal?: AbortSignal
  onRow: (row: Cell[], columns: Column[]) => void
}

export async function readOnlyQuery(run: QueryRun): Promise<Answer> {
  const ms = Math.max(1, Math.round(run.timeoutMs))
  const client = new pg.Client({
    connectionString: run.target.connectionString,
    connectionTimeoutMillis: ms,
    // No `query_timeout`: pg then swallows a streamed query's error (it installs its own callback).
    // The caller's signal is the client-side limit, past the server's statement timeout.
    statement_timeout: ms,
    application_name: 'cutover-gates sql',
    options: '-c default_transaction_read_only=on',
  })
  // After a failure pg may emit once more on the client; the failure is already recorded.
  client.on('error', () => {})
  let stage: Stage = 'connect'
  let cancelled = false
  const cancel = () => {
    cancelled = true
    void client.end().catch(() => {})
  }
  if (run.signal?.aborted) throw failure(undefined, stage, run.signal)
  run.signal?.addEventListener('abort', cancel, { once: true })
  // A cancel during the handshake only marks the client ending; the next step must see it.
  const checkpoint = () => {
    if (cancelled) throw new Error('cancelled')
  }
  try {
    await client.connect()
    checkpoint()
    stage = 'transaction'
    await client.query('BEGIN TRANSACTION READ ONLY')
    await client.query(`SET LOCAL statement_timeout = ${ms}`)
    await client.query(`SET LOCAL lock_timeout = ${ms}`)
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${ms + 1000}`)
    checkpoint()
    stage = 'query'
    const answer = await stream(client, run)
    await client.query('ROLLBACK')
    return answer
  } catch (err) {
    throw failure(err, stage, cancelled ? run.signal : undefined)
  } finally {
    run.signal?.removeEventListener('abort', cancel)
    await client.end().catch(() => {})
  }
}

function stream(client: pg.Client, run: QueryRun): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const q = new pg.Query({ text: run.sql, rowMode: 'array', queryMode: 'extended', types: TEXT_TYPES } as unknown as pg.QueryConfig)
    let columns: Column[] = []
    let rows = 0
    q.on('row', (row: unknown, result?: { fields?: Column[] }) => {
      if (rows === 0) columns = (result?.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }))
      rows++
      run.onRow(row as Cell[], columns)
    })
    q.on('error', reject)
    q.on('end', (result: { fields?: Column[]; command?: string } | undefined) => {
      if (rows === 0) columns = (result?.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }))
      resolve({ columns, rows, command: result?.command ?? '' })
    })
    client.query(q)
  })
}

/** Why the caller stopped the query: `'deadline'` for its time limit, anything else a cancel. */
export const DEADLINE = 'deadline'

function failure(err: unknown, stage: Stage, stopped: AbortSignal | undefined): PgFailure {
  if (stopped)
    return stopped.reason === DEADLINE
      ? new PgFailure(stage, undefined, 'no answer in time', { timedOut: true })
      : new PgFailure(stage, undefined, 'the run was cancelled', { cancelled: true })
  if (err instanceof PgFailure) return err
  const e = err as { code?: unknown; message?: unknown; position?: unknown; hint?: unknown; errors?: unknown[] }
  // Several addresses (IPv4 and IPv6) tried: the first says why.
  const first = (!e?.code && Array.isArray(e?.errors) && e.errors.length ? e.errors[0] : e) as typeof e
  const code = typeof first?.code === 'string' ? first.code : undefined
  const message = String(first?.message ?? err)
  const timedOut = /timeout/i.test(message) && !code
  return new PgFailure(stage, code, message, {
    ...(typeof e?.position === 'string' ? { position: Number(e.position) } : {}),
    ...(typeof e?.hint === 'string' ? { hint: e.hint } : {}),
    ...(timedOut ? { timedOut } : {}),
  })
}
