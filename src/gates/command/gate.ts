/**
 * command: a team's existing script is a gate. `run` goes to `bash -eo pipefail`; its exit code
 * (through `exit-codes`) and, with `verdict`, the last verdict line it prints decide, the worse
 * of the two winning. A timeout, a signal or an unmapped code is a `fail`; a timeout kills the
 * whole process group. The report keeps the masked end of the output, the duration and the
 * SHA-256 of the `result-file` the script wrote.
 *
 * The time limit and the progress lines run on the gate's clock (`ctx.now`, `ctx.sleep`), so a
 * test can drive a ten-minute run in milliseconds; the runner's own real-time limit stays behind
 * it as a backstop.
 */
import path from 'node:path'
import { defineGate, type GateContext, type GateRunContext } from '../../core/gate.js'
import type { Settings } from '../../core/inputs.js'
import { makeRedactor, type Redact } from '../../core/redact.js'
import { check, worst, type Check, type Status } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { DEFAULT_GRACE_MS, DEFAULT_TAIL_BYTES, describeEnd, type RunOutcome } from '../../lib/process.js'
import { readResultFile, snapshot, type ResultFile } from './result-file.js'
import { commandInputs, formatExitCodes, commandAction } from './spec.js'
import { VerdictReader, type VerdictMatch } from './verdict-line.js'

type CommandSettings = Settings<typeof commandInputs>

/** A progress line at least this often while the script runs. */
export const PROGRESS_MS = 30_000
/** Output kept for the report. */
export const OUTPUT_BYTES = DEFAULT_TAIL_BYTES

/**
 * Variables of the gate's own process the script must not inherit: the action's inputs (among
 * them `github-token`) and the runner's tokens for the Actions service.
 */
const NOT_INHERITED = /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)$/i

export function childEnv(env: Record<string, string | undefined>, extra: [string, string][] = []): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !NOT_INHERITED.test(k)) out[k] = v
  for (const [k, v] of extra) out[k] = v
  return out
}

type Stop = 'timeout' | 'cancelled'

export const command = defineGate({
  name: 'command',
  category: 'Ops',
  criteria: { en: 'Script executed: PASS', tr: 'Script çalıştırıldı: PASS' },
  ...commandAction,
  inputs: commandInputs,
  outputs: {
    'exit-code': 'The exit code of the script; empty when it was killed or did not start.',
    verdict: "The word the script's last verdict line captured (such as `PASS`); empty without `verdict` or a matching line.",
    'result-sha256': 'The SHA-256 of `result-file` as the script left it; empty without one.',
  },
  async run(s, ctx) {
    const redact = makeRedactor((s.env ?? []).map(([, v]) => v))
    const log = (line: string) => ctx.log(redact(line))
    const cwd = path.resolve(ctx.cwd, s['working-directory'] ?? '.')
    const shownCwd = shownPath(ctx, cwd)
    const resultPath = s['result-file'] ? path.resolve(cwd, s['result-file']) : undefined
    const before = resultPath ? await snapshot(resultPath, ctx.fs) : undefined
    const reader = s.verdict ? new VerdictReader(s.verdict) : undefined

    const o = await runScript(s, ctx, cwd, shownCwd, reader, log)
    reader?.finish()

    const checks: Check[] = []
    const exit = exitCheck(s, ctx, o, shownCwd, redact)
    checks.push(exit.check)
    const started = !o.outcome.spawnError
    if (reader && started) checks.push(verdictCheck(s.verdict!, reader.last, exit.status, o, redact))
    let file: ResultFile | undefined
    if (resultPath) {
      file = await readResultFile(resultPath, before, ctx.fs)
      checks.push(resultFileCheck(shownPath(ctx, resultPath), file))
    }

    const metrics: Record<string, number> = { duration_ms: Math.round(o.outcome.durationMs) }
    if (o.outcome.code !== null) metrics.exit_code = o.outcome.code
    const outputs = {
      'exit-code': o.outcome.code !== null ? String(o.outcome.code) : '',
      verdict: reader?.last?.word ?? '',
      'result-sha256': file?.sha256 ?? '',
    }
    const details = detailsOf(s, o, shownCwd, reader?.last, resultPath ? shownPath(ctx, resultPath) : undefined, file, redact)
    return redact({ checks, metrics, outputs, details })
  },
})

interface Ran {
  outcome: RunOutcome
  /** Why the gate stopped the script, if it did. */
  stop?: Stop
}

/** Runs the script, printing progress on the gate's clock and stopping it at the timeout or on cancel. */
async function runScript(
  s: CommandSettings,
  ctx: GateRunContext,
  cwd: string,
  shownCwd: string,
  reader: VerdictReader | undefined,
  log: (line: string) => void,
): Promise<Ran> {
  const stopper = new AbortController()
  let stop: Stop | undefined
  const halt = (why: Stop) => {
    if (stop) return
    stop = why
    stopper.abort()
  }
  const onCancel = () => halt('cancelled')
  if (ctx.signal?.aborted) onCancel()
  else ctx.signal?.addEventListener('abort', onCancel, { once: true })

  const t0 = ctx.now().getTime()
  const elapsed = () => Math.max(0, ctx.now().getTime() - t0)
  log(`command: running in ${shownCwd} with bash -eo pipefail; it is killed with its process group after ${formatDuration(s.timeout)}`)
  const finished = new AbortController()
  const running = ctx
    .exec({
      argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run],
      cwd,
      env: childEnv(ctx.env, s.env),
      limitMs: s.timeout,
      graceMs: Math.min(DEFAULT_GRACE_MS, s.timeout),
      tailBytes: OUTPUT_BYTES,
      now: () => ctx.now().getTime(),
      signal: stopper.signal,
      ...(reader ? { onOutput: (chunk: Buffer, stream: 'stdout' | 'stderr') => reader.push(chunk, stream) } : {}),
    })
    .finally(() => finished.abort())

  const watch = async () => {
    while (!finished.signal.aborted) {
      const left = s.timeout - elapsed()
      if (left <= 0) {
        log(`command: still running after ${formatDuration(s.timeout)} (the timeout): killing its process group`)
        return halt('timeout')
      }
      await ctx.sleep(Math.min(PROGRESS_MS, left), finished.signal)
      const el = elapsed()
      if (finished.signal.aborted || el >= s.timeout) continue
      log(`command: ${formatDuration(el)} elapsed, ${formatDuration(s.timeout - el)} left before the timeout`)
    }
  }
  try {
    const [outcome] = await Promise.all([running, watch()])
    return { outcome, ...(stop ? { stop } : outcome.timedOut ? { stop: 'timeout' as const } : {}) }
  } finally {
    ctx.signal?.removeEventListener('abort', onCancel)
  }
}

function shownPath(ctx: GateContext, p: string): string {
  const rel = path.relative(ctx.workspace, p)
  return rel === '' ? '.' : !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p
}

/** The last non-empty line of the (masked) output, for a sentence. */
function lastLine(text: string): string {
  const line =
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

const quoted = (line: string) => (line ? ` Last output line: ${JSON.stringify(line)}.` : ' It printed nothing.')

function exitCheck(s: CommandSettings, ctx: GateContext, r: Ran, shownCwd: string, redact: Redact): { check: Check; status: Status } {
  const o = r.outcome
  const map = s['exit-codes']
  const mapped = formatExitCodes(map)
  const expected = `an exit code that \`exit-codes\` (${mapped}) maps to pass, within ${formatDuration(s.timeout)}`
  const took = formatDuration(o.durationMs)
  const last = quoted(lastLine(redact(o.tail)))
  const fail = (observed: string, message: string) => ({
    check: check('fail', 'exit code', observed, expected, message),
    status: 'fail' as const,
  })
  if (o.spawnError) {
    const why =
      o.spawnError.code === 'ENOENT'
        ? '`bash` is not on PATH'
        : o.spawnError.code === 'ENOCWD'
          ? `its working directory ${shownCwd} does not exist`
          : `the system refused to start it (${o.spawnError.code})`
    return fail(`not started (${o.spawnError.code})`, `The script could not be started: ${why}. Nothing ran.`)
  }
  if (r.stop === 'timeout')
    return fail(
      `still running after ${formatDuration(s.timeout)}`,
      `The script was still running after ${formatDuration(s.timeout)} (the \`timeout\`) and was killed with its whole process group.${last} Find why it hangs, or raise \`timeout\` if it needs longer.`,
    )
  if (r.stop === 'cancelled')
    return fail('cancelled', `The run was cancelled after ${took}; the script was killed with its whole process group before it finished.`)
  if (o.code === null)
    return fail(
      describeEnd(o),
      `The script was ${describeEnd(o)} after ${took}, not by the gate: a script ended by a signal gave no verdict, so it is a fail.${last}`,
    )
  const status = map.get(o.code)
  if (status === undefined)
    return fail(
      `exit ${o.code}`,
      `The script exited ${o.code} after ${took}; \`exit-codes\` (${mapped}) does not map ${o.code}, so it is a fail.${last}`,
    )
  const tail = status === 'pass' ? '' : last
  return {
    check: check(
      status,
      'exit code',
      `exit ${o.code} (${status})`,
      expected,
      `The script exited ${o.code} after ${took}; \`exit-codes\` maps ${o.code} to ${status}.${tail}`,
    ),
    status,
  }
}

function verdictCheck(pattern: RegExp, m: VerdictMatch | undefined, exitStatus: Status, r: Ran, redact: Redact): Check {
  const expected = `a last line matching \`${pattern.source}\` that says PASS`
  if (!m) {
    const last = quoted(lastLine(redact(r.outcome.tail)))
    return check(
      'fail',
      'verdict',
      'no verdict line',
      expected,
      `No line of the output matches \`verdict\` (\`${pattern.source}\`), so the script gave no verdict.${last} Check that the script prints its verdict line, or correct \`verdict\`.`,
    )
  }
  const where = `${m.stream === 'stderr' ? 'stderr ' : ''}line ${m.lineNo}: ${JSON.stringify(snippet(m.line))}`
  if (!m.status)
    return check(
      'fail',
      'verdict',
      `says ${snippet(m.word, 40)}`,
      expected,
      `The last verdict line (${where}) says ${JSON.stringify(snippet(m.word, 40))}, which is not PASS, WARN or FAIL.`,
    )
  const both = worst([exitStatus, m.status])
  const disagree =
    exitStatus !== m.status
      ? ` The exit code says ${exitStatus} and the verdict line ${m.status}: the worse of the two, ${both}, decides.`
      : ''
  return check(
    m.status,
    'verdict',
    `${m.word.toUpperCase()}`,
    expected,
    `The last verdict line (${where}) says ${m.word.toUpperCase()}.${disagree}`,
  )
}

function snippet(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function resultFileCheck(shown: string, f: ResultFile): Check {
  const expected = 'a JSON file written by this run'
  if (!f.ok)
    return check(
      'fail',
      'result-file',
      f.observed,
      expected,
      `The result file ${shown} cannot be used: ${f.why}.${f.sha256 ? ` Its SHA-256 is ${f.sha256}.` : ''} The script must write it as JSON on every run.`,
    )
  return check(
    'pass',
    'result-file',
    `sha256:${f.sha256}`,
    expected,
    `The result file ${shown} (${f.bytes} bytes) was written by this run and is valid JSON; its SHA-256 is ${f.sha256}.`,
  )
}

/** A code fence longer than any run of backticks in the text, so the output cannot end it. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  return '`'.repeat(Math.max(3, longest + 1))
}

/**
 * The masked output for the report. When the front of the output was dropped, the first kept
 * line is cut off too: it may begin inside a secret, whose remaining piece no redactor recognises.
 */
export function keptOutput(o: RunOutcome, redact: Redact, longestSecret: number): { text: string; dropped: number } {
  let text = o.tail
  let dropped = o.dropped
  if (dropped > 0) {
    const nl = text.indexOf('\n')
    const cut = Math.max(nl >= 0 ? nl + 1 : 0, Math.min(longestSecret, text.length))
    dropped += Buffer.byteLength(text.slice(0, cut))
    text = text.slice(cut)
  }
  return { text: redact(text), dropped }
}

function detailsOf(
  s: CommandSettings,
  r: Ran,
  shownCwd: string,
  m: VerdictMatch | undefined,
  resultShown: string | undefined,
  file: ResultFile | undefined,
  redact: Redact,
): string {
  const o = r.outcome
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\s+/g, ' ')
  const ended = o.spawnError
    ? `not started (${o.spawnError.code})`
    : r.stop === 'timeout'
      ? `killed at the ${formatDuration(s.timeout)} timeout`
      : r.stop === 'cancelled'
        ? 'cancelled'
        : describeEnd(o)
  const rows = [
    ['working directory', shownCwd],
    ['duration', formatDuration(o.durationMs)],
    ['ended', ended],
    ['exit-codes', formatExitCodes(s['exit-codes'])],
  ]
  if (s.verdict) rows.push(['verdict', m ? `${m.word} (line ${m.lineNo}: ${JSON.stringify(snippet(m.line))})` : 'no matching line'])
  if (resultShown)
    rows.push([
      'result-file',
      file?.sha256 ? `${resultShown}, SHA-256 \`${file.sha256}\`` : `${resultShown}: ${file && !file.ok ? file.observed : ''}`,
    ])
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n')
  const longest = Math.max(0, ...(s.env ?? []).map(([, v]) => v.length))
  const out = keptOutput(o, redact, longest)
  if (!out.text.trim()) return `${table}\n\nThe script printed nothing.`
  const f = fence(out.text)
  const head =
    out.dropped > 0 ? `Output (the last ${Math.round(OUTPUT_BYTES / 1024)} KiB; ${out.dropped} bytes before it are not kept):` : 'Output:'
  return `${table}\n\n${head}\n\n${f}text\n${out.text.replace(/\n+$/, '')}\n${f}`
}
