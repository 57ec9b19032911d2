/**
 * A real, throwaway PostgreSQL server for tests: `initdb` into a temporary folder, listening on
 * 127.0.0.1 at a free port (password auth, so URLs carry a real secret) and on a Unix socket
 * inside that folder, with WAL archiving on and an `archive_command` copying to a folder.
 *
 * As root (CI containers), the server runs as the `postgres` user through `runuser`, because
 * `initdb` and `postgres` refuse to run as root; the temporary folder is handed to that user.
 * Under CI=true a missing server is an error (CI installs it: `apt-get install postgresql`);
 * elsewhere, tests skip with `pgMissing` as the reason.
 */
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const exec = promisify(execFile)

/** The folder holding initdb, pg_ctl and postgres, or undefined. */
export function findPgBin(): string | undefined {
  const has = (dir: string | undefined) => !!dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))
  if (has(process.env.PG_BINDIR)) return process.env.PG_BINDIR
  // Debian/Ubuntu keep the server outside PATH, one folder per major version: take the newest.
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    for (const v of versions) if (has(path.join(debian, v, 'bin'))) return path.join(debian, v, 'bin')
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (has(dir)) return dir
  return undefined
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, program)))
}

const isRoot = process.getuid?.() === 0

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'))
    if (!line) return undefined
    const [, , uid, gid] = line.split(':')
    return { uid: Number(uid), gid: Number(gid) }
  } catch {
    return undefined
  }
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export const pgMissing: string | undefined = (() => {
  const bin = findPgBin()
  if (!bin) return 'the PostgreSQL server (initdb, pg_ctl) is not installed: apt-get install postgresql'
  for (const p of ['psql', 'pg_restore', 'pg_dump']) if (!onPath(p)) return `${p} is not on PATH: apt-get install postgresql-client`
  if (isRoot && !postgresUser()) return 'running as root without a `postgres` user to run the server as'
  if (isRoot && !onPath('runuser')) return 'running as root without `runuser` (util-linux) to start the server as `postgres`'
  return undefined
})()

/** Under CI the PostgreSQL tests must run: a missing server fails them instead of skipping. */
export const skipPg = pgMissing !== undefined && process.env.CI !== 'true'
if (skipPg) console.warn(`SKIPPED PostgreSQL tests: ${pgMissing}`)

export interface Pg {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string
  password: string
  port: number
  dir: string
  archiveDir: string
  /** Runs SQL as the superuser over the Unix socket; returns psql's unaligned, tuples-only output. */
  sql(query: string | string[], database?: string): Promise<string>
  /** `pg_dump -Fc` of a database into a file. */
  dump(database: string, file: string): Promise<void>
  setArchiveCommand(command: string): Promise<void>
  /** Waits until the archiver reports `segment` (or later) archived. */
  waitArchived(segment: string, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** Runs a server program, as `postgres` when we are root. */
function asServerUser(bin: string, program: string, args: string[]) {
  const file = path.join(bin, program)
  return isRoot ? exec('runuser', ['-u', 'postgres', '--', file, ...args]) : exec(file, args)
}

const PASSWORD = 'dr p@ss/w:rd%~'

export async function startPostgres(opts: { archiveCommand?: string; walSegmentMb?: number } = {}): Promise<Pg> {
  if (pgMissing) throw new Error(`PostgreSQL is required (CI=true) but ${pgMissing}`)
  const bin = findPgBin()!
  const dir = mkdtempSync(path.join(isRoot ? '/tmp' : tmpdir(), 'cutover-pg-'))
  const data = path.join(dir, 'data')
  const archiveDir = path.join(dir, 'archive')
  const sock = path.join(dir, 'sock')
  mkdirSync(archiveDir)
  mkdirSync(sock)
  writeFileSync(path.join(dir, 'pwfile'), `${PASSWORD}\n`)
  if (isRoot) {
    const u = postgresUser()!
    for (const p of [dir, archiveDir, sock, path.join(dir, 'pwfile')]) chownSync(p, u.uid, u.gid)
  }
  try {
    await asServerUser(bin, 'initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${path.join(dir, 'pwfile')}`,
      '-E',
      'UTF8',
      '--locale=C',
      `--wal-segsize=${opts.walSegmentMb ?? 1}`,
      '-N',
    ])
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? err}`)
  }
  const archiveCommand = opts.archiveCommand ?? `test ! -f '${archiveDir}/%f' && cp '%p' '${archiveDir}/%f'`
  let port = 0
  let started = false
  let lastError = ''
  // A free port can be taken between the probe and the start: try a few.
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    port = await freePort()
    const conf = [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${sock}'`,
      `wal_level = replica`,
      `archive_mode = on`,
      `archive_command = '${archiveCommand.replace(/'/g, "''")}'`,
      `fsync = off`,
      `synchronous_commit = off`,
      `max_connections = 40`,
      `shared_buffers = 16MB`,
    ].join('\n')
    writeFileSync(path.join(data, 'postgresql.auto.conf'), `${conf}\n`)
    if (isRoot) chownSync(path.join(data, 'postgresql.auto.conf'), postgresUser()!.uid, postgresUser()!.gid)
    try {
      await asServerUser(bin, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start'])
      started = true
    } catch (err) {
      lastError = `${(err as { stderr?: string }).stderr ?? err}\n${existsSync(path.join(dir, 'server.log')) ? readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000) : ''}`
    }
  }
  if (!started) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`PostgreSQL did not start: ${lastError}`)
  }

  const sql = async (query: string | string[], database = 'postgres') => {
    const queries = Array.isArray(query) ? query : [query]
    const { stdout } = await exec('psql', [
      '-X',
      '-A',
      '-t',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      sock,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      database,
      ...queries.flatMap((q) => ['-c', q]),
    ])
    return stdout.trim()
  }

  const pg: Pg = {
    url: `postgresql://postgres:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/postgres`,
    password: PASSWORD,
    port,
    dir,
    archiveDir,
    sql,
    async dump(database, file) {
      await exec('pg_dump', ['-Fc', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-f', file, database], {
        env: { ...process.env, PGPASSWORD: PASSWORD },
      })
    },
    async setArchiveCommand(command) {
      await sql([`ALTER SYSTEM SET archive_command = '${command.replace(/'/g, "''")}'`, 'SELECT pg_reload_conf()'])
      // The archiver rereads its configuration on SIGHUP, asynchronously.
      await new Promise((r) => setTimeout(r, 500))
    },
    async waitArchived(segment, timeoutMs = 20_000) {
      for (let waited = 0; waited < timeoutMs; waited += 100) {
        const last = await sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
        if (last.slice(0, 24) >= segment) return
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`segment ${segment} was not archived within ${timeoutMs}ms`)
    },
    async stop() {
      try {
        await asServerUser(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
  return pg
}
