/**
 * sql: a read-only check against PostgreSQL, the runbook's `psql -c "SELECT * FROM
 * verify_final_hardening();"` with its "all rows status='PASS'", or its ACL scan with "expected:
 * empty result". One statement runs in a READ ONLY transaction that is rolled back; the answer
 * is judged on its row count (`expect-rows`) and on every row (`expect`), and the rows that fail
 * are named. The URL's password appears nowhere: not in logs, reports, or the errors of pg.
 */
import { defineGate } from '../../core/gate.js'
import { InputError } from '../../core/inputs.js'
import { makeRedactor } from '../../core/redact.js'
import { check, type Check } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { DEADLINE, PgFailure, readOnlyQuery, type Answer } from './postgres.js'
import { MAX_NAMED_ROWS, RowJudge, renderCell } from './rows.js'
import { describeRowCount, onlyZero, pgUrlSecrets, rowCountHolds, sqlInputs, type RowCount, sqlAction } from './spec.js'

export const sql = defineGate({
  name: 'sql',
  category: 'Security',
  criteria: { en: 'Database checks PASS', tr: 'DB kontrolleri PASS' },
  ...sqlAction,
  inputs: sqlInputs,
  outputs: { rows: 'How many rows the statement returned; empty when it did not run.' },
  async run(s, ctx) {
    const count = s['expect-rows']
    const assertions = s.expect ?? []
    if (!count && assertions.length === 0)
      throw new InputError(['give `expect-rows`, `expect` or both: without them nothing about the answer is checked'])
    if (count && assertions.length > 0 && onlyZero(count))
      throw new InputError([
        `\`expect-rows\` asks for ${describeRowCount(count)} and \`expect\` for rows that satisfy ${assertions.map((a) => `\`${a.text}\``).join(', ')}: zero rows with \`expect\` is never a pass, so this can never pass`,
      ])
    const target = s['postgres-url']
    const redact = makeRedactor(pgUrlSecrets(target.connectionString))
    const where = target.display
    ctx.log(redact(`sql: querying ${where} in a read-only transaction (timeout ${formatDuration(s.timeout)})`))

    const judge = new RowJudge(assertions, count ? onlyZero(count) : false)
    const t0 = ctx.now().getTime()
    // The client's own limit, past the server's statement timeout: for a server that stops answering at all.
    const stop = new AbortController()
    const finished = new AbortController()
    const onCancel = () => stop.abort('cancelled')
    if (ctx.signal?.aborted) onCancel()
    else ctx.signal?.addEventListener('abort', onCancel, { once: true })
    void ctx.sleep(2 * s.timeout + CLIENT_GRACE_MS, finished.signal).then(() => {
      if (!finished.signal.aborted) stop.abort(DEADLINE)
    })
    let answer: Answer
    try {
      answer = await readOnlyQuery({
        target,
        sql: s.query,
        timeoutMs: s.timeout,
        signal: stop.signal,
        onRow: (row, columns) => judge.push(row, columns),
      })
    } catch (err) {
      const ms = ctx.now().getTime() - t0
      const f = err instanceof PgFailure ? err : new PgFailure('query', undefined, String((err as Error)?.message ?? err))
      ctx.log(redact(`sql: no answer after ${formatDuration(ms)}`))
      const c = check(
        'fail',
        'query',
        f.code ? `${f.stage} failed (${f.code})` : `${f.stage} failed`,
        'an answer to the statement',
        sentence(f, where, s.timeout),
      )
      return redact({ checks: [c], metrics: { query_ms: ms }, outputs: { rows: '' } })
    } finally {
      finished.abort()
      ctx.signal?.removeEventListener('abort', onCancel)
    }
    const ms = ctx.now().getTime() - t0
    if (answer.columns.length === 0) {
      // `COMMIT`, `SET ...`: no result set at all, which must not read as "no rows, as expected".
      const what = answer.command ? `a ${answer.command} command` : 'a command'
      const c = check(
        'fail',
        'query',
        `no result set (${answer.command || 'command'})`,
        'a query that returns rows and columns',
        `The statement is ${what}, not a query: it returned no result set from ${where}, so there are no rows to judge. Give a SELECT (or a function call that returns a table).`,
      )
      return redact({ checks: [c], metrics: { query_ms: ms }, outputs: { rows: '' } })
    }
    judge.setColumns(answer.columns)
    ctx.log(redact(`sql: ${answer.rows} row${answer.rows === 1 ? '' : 's'} in ${formatDuration(ms)}`))

    const checks: Check[] = []
    if (count) checks.push(countCheck(count, judge, where))
    if (assertions.length)
      checks.push(
        expectCheck(
          assertions.map((a) => a.text),
          judge,
          where,
          !count,
        ),
      )
    return redact({
      checks,
      metrics: { rows: answer.rows, failing_rows: judge.failing, query_ms: ms },
      outputs: { rows: String(answer.rows) },
      details: details(judge, where, ms),
    })
  },
})

/** Beyond connect and statement timeouts (each `timeout`), before the client gives up on its own. */
const CLIENT_GRACE_MS = 2000

const rowsWord = (n: number) => `${n} row${n === 1 ? '' : 's'}`

function countCheck(count: RowCount, judge: RowJudge, where: string): Check {
  const expected = describeRowCount(count)
  const observed = rowsWord(judge.rows)
  if (rowCountHolds(count, judge.rows)) {
    const says = judge.rows === 0 ? 'no rows' : observed
    return check('pass', 'rows', observed, expected, `The query on ${where} returned ${says}, as expected (${expected}).`)
  }
  const named = onlyZero(count) && judge.failing > 0 ? `: ${judge.list()}` : ''
  return check('fail', 'rows', observed, expected, `The query on ${where} returned ${observed}, expected ${expected}${named}.`)
}

function expectCheck(texts: string[], judge: RowJudge, where: string, atLeastOne: boolean): Check {
  const expected = `every row has ${texts.join(', ')}${atLeastOne ? ' (at least 1 row)' : ''}`
  const shown = texts.map((t) => `\`${t}\``).join(', ')
  if (judge.problem)
    return check(
      'fail',
      'expect',
      'unreadable answer',
      expected,
      `${shown} cannot be checked on the answer from ${where}: ${judge.problem}.`,
    )
  if (judge.rows === 0)
    return check(
      'fail',
      'expect',
      '0 rows',
      expected,
      `The query on ${where} returned no rows, so ${shown} was checked on nothing: zero rows with \`expect\` is never a pass. Check the query, and the database it runs on.`,
    )
  if (judge.failing === 0)
    return check(
      'pass',
      'expect',
      `${rowsWord(judge.rows)}, all satisfy`,
      expected,
      `All ${rowsWord(judge.rows)} from ${where} satisfy ${shown}.`,
    )
  return check(
    'fail',
    'expect',
    `${judge.failing} of ${rowsWord(judge.rows)} fail`,
    expected,
    `${judge.failing} of ${rowsWord(judge.rows)} from ${where} do not satisfy ${shown}: ${judge.list()}.`,
  )
}

function details(judge: RowJudge, where: string, ms: number): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 200)
  const head = `| server | rows | failing rows | time |\n|---|---|---|---|\n| ${cell(where)} | ${judge.rows} | ${judge.failing} | ${formatDuration(ms)} |`
  if (judge.named.length === 0) return head
  const cols = judge.columns
  const table = [
    `| row | ${cols.map((c) => cell(c.name)).join(' | ')} |`,
    `|---|${cols.map(() => '---').join('|')}|`,
    ...judge.named.map((r) => `| ${r.index} | ${cols.map((c, i) => cell(renderCell(r.cells[i] ?? null, c))).join(' | ')} |`),
  ].join('\n')
  const more =
    judge.failing > judge.named.length ? `\n\nand ${judge.failing - judge.named.length} more (the first ${MAX_NAMED_ROWS} are shown)` : ''
  return `${head}\n\nFailing rows:\n\n${table}${more}`
}

const CONNECT: Record<string, [string, string]> = {
  ECONNREFUSED: ['connection refused', 'Check the host and port, and that the server accepts connections from the runner.'],
  ENOTFOUND: ['no DNS record for the host', 'Check the host name in `postgres-url`.'],
  EAI_AGAIN: ['the DNS lookup failed for now', 'Check the resolver and the host name, then run the gate again.'],
  EHOSTUNREACH: ['the host is unreachable', 'Check the network path from the runner to the server.'],
  ENETUNREACH: ['the network is unreachable', 'Check the network path from the runner to the server.'],
  ECONNRESET: ['the connection was reset', 'Check the server, and any proxy or pooler in front of it.'],
  ETIMEDOUT: ['the connection timed out', 'Check that the server is reachable from the runner (firewall, security group).'],
  '28P01': ['the server refused the credentials', 'Check the user name and password in `postgres-url` (and the secret they come from).'],
  '28000': ['the server refused the connection', 'Check pg_hba.conf and the role in `postgres-url`.'],
  '3D000': ['the database does not exist', 'Check the database name in `postgres-url`.'],
  '53300': ['the server has no free connection slots', 'Run the gate again when load is lower, or use a pooler.'],
  '57P03': ['the server is starting up or shutting down', 'Run the gate again when the server accepts connections.'],
}

/** One sentence saying why there is no answer, and what to do. */
function sentence(f: PgFailure, where: string, timeout: number): string {
  const t = formatDuration(timeout)
  const server = oneLine(f.message)
  if (f.detail.cancelled) return `The run was cancelled before ${where} answered.`
  if (f.stage === 'connect' || (f.code && CONNECT[f.code] && f.stage !== 'query')) {
    if (f.detail.timedOut || /connection timeout|timeout expired/i.test(f.message))
      return `Could not connect to ${where}: no answer within ${t} (the \`timeout\`). Check that the server is reachable from the runner (firewall, security group).`
    const known = f.code ? CONNECT[f.code] : undefined
    if (known) return `Could not connect to ${where}: ${known[0]} (${f.code}: ${server}). ${known[1]}`
    return `Could not connect to ${where}: ${server}${f.code ? ` (${f.code})` : ''}. Check \`postgres-url\` and that the server accepts connections from the runner.`
  }
  const sqlstate = f.code ? ` (SQLSTATE ${f.code})` : ''
  const at = f.detail.position ? ` at character ${f.detail.position}` : ''
  const hint = f.detail.hint ? ` Hint: ${oneLine(f.detail.hint)}.` : ''
  switch (f.code) {
    case '25006':
      return `The query tried to write: ${server}${sqlstate}. The statement ran in a READ ONLY transaction that was rolled back, so nothing was changed; the sql gate only reads, so give a SELECT.`
    case '57014':
      return `The query ran longer than ${t} (the \`timeout\`) and the server cancelled it${sqlstate}. Make the query cheaper, or raise \`timeout\` if it is slow by design.`
    case '55P03':
      return `The query waited longer than ${t} for a lock and gave up${sqlstate}: ${server}. Run it when the lock is free.`
    case '25P03':
      return `The transaction stayed idle longer than its limit${sqlstate}.`
  }
  if (/multiple commands into a prepared statement/.test(f.message))
    return `The query holds more than one statement${sqlstate}; the sql gate runs exactly one (so none can end the read-only transaction): give one statement, or one gate per statement.`
  if (f.detail.timedOut)
    return `${where} gave no answer within ${t} (the \`timeout\`) for connecting and again for the statement, so the connection was closed. Check the server and the network path to it.`
  if (/Connection terminated/i.test(f.message)) return `The connection to ${where} closed before the query finished: ${server}.`
  return `The query failed on ${where}: ${server}${at}${sqlstate}.${hint}`
}

function oneLine(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length > 300 ? `${one.slice(0, 299)}…` : one
}
