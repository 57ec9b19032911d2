// Verify throughput of the evidence gate, as ratios measured in the same run:
//   - against `sha256sum -c` on the same manifest (aim: >= 3x, using every core),
//   - against the SHA-256 ceiling `openssl speed -evp sha256` reports for one core x cores,
//     and against two openssl processes running at once (what the cores really give together),
//   - peak RSS of the verifying process (aim: < 100 MB whatever the file sizes).
// Default: 128 MiB over 1,000 files; BENCH_SCALE=full: 1 GiB over 1,000 files.
// Our side runs `cutover evidence verify` from dist/cli (build first), in a child process, so its
// peak RSS is its own; both sides read from the page cache (everything is read once first).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { randomFillSync } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '..')
const FULL = process.env.BENCH_SCALE === 'full'
const TOTAL = FULL ? 1024 ** 3 : 128 * 1024 ** 2
const FILES = 1000
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (FULL ? 3 : 5))
const CORES = availableParallelism()

// Best of the rounds: other work on a shared machine only ever slows a run down, on both sides alike.
const best = (xs: number[]) => Math.min(...xs)
const mbps = (bytes: number, ms: number) => bytes / 1e3 / ms

/** File sizes from 0.1x to 1.9x the mean, adding up to TOTAL exactly. */
function sizes(): number[] {
  const mean = TOTAL / FILES
  const raw = Array.from({ length: FILES }, (_, i) => Math.round(mean * (0.1 + (1.8 * ((i * 7919) % FILES)) / FILES)))
  raw[0] += TOTAL - raw.reduce((a, b) => a + b, 0)
  return raw
}

function makeFolder(dir: string): string[] {
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024)
  const names: string[] = []
  sizes().forEach((size, i) => {
    const name = `part-${String(i).padStart(4, '0')}.bin`
    mkdirSync(path.join(dir, `d${i % 10}`), { recursive: true })
    const rel = `d${i % 10}/${name}`
    const chunks: Buffer[] = []
    for (let left = size; left > 0; left -= buf.length)
      chunks.push(Buffer.from(randomFillSync(buf).subarray(0, Math.min(left, buf.length))))
    writeFileSync(path.join(dir, rel), Buffer.concat(chunks))
    names.push(rel)
  })
  return names
}

const CLI = path.join(ROOT, 'dist', 'cli', 'index.js')
/** Peak RSS and CPU time of the process, written at exit by a preload (the bundle itself is run as users run it). */
const USAGE = `data:text/javascript,process.on('exit',()=>{const c=process.cpuUsage();try{process.getBuiltinModule('node:fs').writeFileSync(process.env.BENCH_USAGE_FILE,JSON.stringify({maxRssMB:process.resourceUsage().maxRSS/1024,cpuMs:(c.user+c.system)/1000}))}catch{}})`

interface Verified {
  ms: number
  code: number | null
  maxRssMB: number
  cpuMs: number
  metrics: { hashMs: number; matched: number; threads: number }
}
/** `cutover evidence verify <dir> --json` from dist/ (what users run), timed, with its own peak RSS and CPU time. */
function verify(dir: string, usageFile: string, extra: string[] = []): Verified {
  const t = performance.now()
  const r = spawnSync(process.execPath, ['--import', USAGE, CLI, 'evidence', 'verify', dir, ...extra, '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', BENCH_USAGE_FILE: usageFile },
  })
  const ms = performance.now() - t
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssMB: number; cpuMs: number }
  const report = JSON.parse(r.stdout) as { metrics: Verified['metrics'] }
  return { ms, code: r.status, ...usage, metrics: report.metrics }
}

function timed(cmd: string, args: string[], cwd?: string): { ms: number; stdout: string; code: number | null } {
  const t = performance.now()
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { ms: performance.now() - t, stdout: r.stdout, code: r.status }
}

/** `sha256sum -c` timed, with its CPU time (bash's `times`: the second line is the children's user and system time). */
function sha256sumCheck(dir: string): { ms: number; cpuMs: number; code: number | null } {
  const r = timed('bash', ['-c', 'sha256sum -c --quiet --strict SHA256SUMS; s=$?; times; exit $s'], dir)
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/m.exec(r.stdout.trim().split('\n').pop() ?? '')
  const cpuMs = m ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000 : NaN
  return { ms: r.ms, cpuMs, code: r.code }
}

/** `openssl speed -evp sha256` on 16 KiB blocks, in MB/s; `procs` copies at once, summed. */
async function opensslSpeed(procs: number): Promise<number> {
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const p = spawn('openssl', ['speed', '-evp', 'sha256', '-bytes', '16384', '-seconds', '3'], { stdio: ['ignore', 'pipe', 'ignore'] })
      let out = ''
      p.stdout.on('data', (d) => (out += d))
      p.on('exit', () => {
        const m = /^sha256\s+([\d.]+)k\s*$/m.exec(out)
        if (m) resolve(Number(m[1]) / 1000)
        else reject(new Error(`unexpected openssl speed output: ${out.slice(-200)}`))
      })
    })
  const all = await Promise.all(Array.from({ length: procs }, one))
  return all.reduce((a, b) => a + b, 0)
}

it(`evidence verify: ${FULL ? '1 GiB' : '128 MiB'} over ${FILES} files vs sha256sum -c and the openssl ceiling`, async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'cutover-evidence-bench-'))
  try {
    const dir = path.join(work, 'evidence')
    mkdirSync(dir)
    const names = makeFolder(dir)
    writeFileSync(path.join(dir, 'SHA256SUMS'), execFileSync('sha256sum', ['--', ...names], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }))
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`)
    const usageFile = path.join(work, 'usage.json')
    // Warm the page cache so both sides read memory, not disk.
    for (const n of names) readFileSync(path.join(dir, n))

    const ours: number[] = []
    const oursHash: number[] = []
    const oursCpu: number[] = []
    const theirs: number[] = []
    const theirsCpu: number[] = []
    const rss: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      const s = sha256sumCheck(dir)
      expect(s.code).toBe(0)
      theirs.push(s.ms)
      theirsCpu.push(s.cpuMs)
      const res = verify(dir, usageFile, ['--extra-files', 'fail'])
      expect(res.code).toBe(0)
      expect(res.metrics.matched).toBe(FILES)
      ours.push(res.ms)
      oursHash.push(res.metrics.hashMs)
      oursCpu.push(res.cpuMs)
      rss.push(res.maxRssMB)
    }
    // The same verify must still catch a change (a bench that measures a no-op proves nothing).
    const victim = path.join(dir, names[500])
    const bytes = readFileSync(victim)
    bytes[bytes.length >> 1] ^= 1
    writeFileSync(victim, bytes)
    expect(verify(dir, usageFile).code).toBe(2)
    const gib = TOTAL / 1024 ** 3

    const single = await opensslSpeed(1)
    const together = await opensslSpeed(CORES)
    const oursMBps = mbps(TOTAL, best(ours))
    const theirsMBps = mbps(TOTAL, best(theirs))
    const hashMBps = mbps(TOTAL, best(oursHash))
    const lines = [
      `evidence verify, ${(TOTAL / 1024 ** 2).toFixed(0)} MiB over ${FILES} files, ${CORES} cores, best of ${ROUNDS} rounds:`,
      `  sha256sum -c (wall)             ${theirsMBps.toFixed(0).padStart(6)} MB/s  (${best(theirs).toFixed(0)} ms, ${(best(theirsCpu) / 1000 / gib).toFixed(2)} CPU-s/GiB)`,
      `  cutover evidence verify (wall)  ${oursMBps.toFixed(0).padStart(6)} MB/s  (${best(ours).toFixed(0)} ms incl. Node start, ${(best(oursCpu) / 1000 / gib).toFixed(2)} CPU-s/GiB)  ratio ${(oursMBps / theirsMBps).toFixed(2)}x (aim >= 3x)`,
      `  its hashing phase               ${hashMBps.toFixed(0).padStart(6)} MB/s  (${best(oursHash).toFixed(0)} ms)  ratio ${(hashMBps / theirsMBps).toFixed(2)}x`,
      `  openssl speed, 1 core           ${single.toFixed(0).padStart(6)} MB/s  x ${CORES} = ${(single * CORES).toFixed(0)} MB/s: verify ${((100 * oursMBps) / (single * CORES)).toFixed(0)}%, hashing phase ${((100 * hashMBps) / (single * CORES)).toFixed(0)}% of it (aim >= 80%)`,
      `  openssl speed, ${CORES} at once       ${together.toFixed(0).padStart(6)} MB/s`,
      `  peak RSS of verify              ${Math.max(...rss).toFixed(1)} MB (aim < 100 MB; each round: ${rss.map((x) => x.toFixed(1)).join(', ')})`,
      `  load average at the end         ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} (other work on the machine slows both sides)`,
    ]
    console.log(lines.join('\n'))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
