// Speed of decide and bundle verify over many reports, as ratios against `sha256sum` hashing the
// same files in the same run (the floor for "read every report and pin its SHA-256").
// Default 200 reports of ~20 KiB; BENCH_SCALE=10 gives 2,000.
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, it } from 'vitest'
import { publicKeyFrom } from '../src/gates/decide/sign.js'
import { verifyBundle } from '../src/gates/decide/verify.js'
import { writeReport } from '../src/core/report.js'
import { check } from '../src/core/result.js'
import { SUBJECT, opensslKey, result, runDecide, tempDir } from '../tests/gates/decide/support.js'

const N = 200 * Number(process.env.BENCH_SCALE ?? 1)
const ROUNDS = 5
const { dir: ws, cleanup } = tempDir()
afterAll(cleanup)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

it(`decide and bundle verify over ${N} reports vs sha256sum`, async () => {
  const reports = path.join(ws, 'cutover-reports')
  // Reports the size of a busy gate's: 100 checks each.
  await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const r = result({ id: `gate-${i}`, startMin: 60 - (i % 60) })
      r.checks = Array.from({ length: 100 }, (_, j) =>
        check('pass', `check ${j}`, `observed value ${j} `.repeat(4), 'expected', 'a sentence a person can act on '.repeat(3)),
      )
      return writeReport(reports, r, SUBJECT)
    }),
  )
  const files = readdirSync(reports).map((f) => path.join(reports, f))
  const key = opensslKey(ws, 'ed25519')
  const required = Array.from({ length: N }, (_, i) => `gate-${i}`).join('\n')

  const sums: number[] = []
  const decides: number[] = []
  const verifies: number[] = []
  const pub = { publicKey: publicKeyFrom(readFileSync(key.pub, 'utf8'), 'pub') }
  for (let i = 0; i < ROUNDS; i++) {
    sums.push(await time(() => execFileSync('sha256sum', files, { maxBuffer: 64 * 1024 * 1024 })))
    rmSync(path.join(reports, 'cutover-summary.json'), { force: true })
    decides.push(
      await time(async () => {
        const r = await runDecide(ws, { required, 'signing-key': key.priv })
        if (r.outputs.decision !== 'GO') throw new Error(`expected GO: ${r.summary}`)
      }),
    )
    verifies.push(
      await time(async () => {
        const v = await verifyBundle(path.join(reports, 'cutover-summary.json'), pub)
        if (v.problems.length) throw new Error(v.problems.join('\n'))
      }),
    )
  }
  const sum = median(sums)
  console.log(
    [
      `${N} reports (~${Math.round(files.reduce((n, f) => n + readFileSync(f).length, 0) / N / 1024)} KiB each), median of ${ROUNDS}:`,
      `  sha256sum of the reports: ${sum.toFixed(0)} ms (reference)`,
      `  decide (read, hash, validate, judge, sign, write bundle, render): ${median(decides).toFixed(0)} ms → ${(median(decides) / sum).toFixed(2)}x sha256sum`,
      `  bundle verify (re-hash every report, check the signature): ${median(verifies).toFixed(0)} ms → ${(median(verifies) / sum).toFixed(2)}x sha256sum`,
    ].join('\n'),
  )
})
