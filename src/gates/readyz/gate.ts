/**
 * readyz: probes HTTP readiness/health endpoints and gates on the answer.
 *
 * Each round probes every URL that still needs passes, concurrently. A probe is one bounded
 * exchange (connect, headers and body within `timeout`, body capped at 1 MiB) judged on its
 * status code, its body (IETF health+json, Spring Boot Actuator, Kubernetes verbose text) and
 * the `expect` assertions. With `wait` or `consecutive`, rounds repeat every `interval` until
 * each URL has `consecutive` passes in a row or the time is up.
 */
import { defineGate, type GateContext } from '../../core/gate.js'
import { InputError } from '../../core/inputs.js'
import { formatDuration } from '../../core/units.js'
import { displayUrl } from '../../lib/url.js'
import { probeSafely, type Plan } from './probe.js'
import { detailsTable, distinctNames, finalCheck, progressLine, type UrlState } from './report.js'
import { readyzInputs, readyzAction } from './spec.js'

export { readyzInputs } from './spec.js'

export const readyz = defineGate({
  name: 'readyz',
  category: 'Infrastructure',
  criteria: { en: 'Readyz healthy', tr: 'Readyz sağlıklı' },
  ...readyzAction,
  inputs: readyzInputs,
  async run(s, ctx) {
    const plan: Plan = {
      ranges: s['expect-status'],
      assertions: s.expect ?? [],
      statusAsserted: (s.expect ?? []).some((a) => a.segments[0] === 'status'),
      headers: s.headers ?? [],
      timeout: s.timeout,
      follow: s['follow-redirects'],
    }
    const { consecutive, interval, wait } = s
    const needed = (consecutive - 1) * interval
    if (wait > 0 && needed > wait) {
      throw new InputError([
        `\`consecutive: ${consecutive}\` at \`interval: ${formatDuration(interval)}\` needs at least ${formatDuration(needed)}, but \`wait\` is ${formatDuration(wait)}; raise \`wait\` or lower \`consecutive\``,
      ])
    }
    // With wait 0 and several passes needed, allow just the probes those passes take.
    const polling = wait > 0 || consecutive > 1
    // runGate masks what the input specs register as secret, in these lines and in the result.
    const log = (line: string) => ctx.log(line)

    const states: UrlState[] = distinctNames(s.url.map(displayUrl)).map((shown, i) => ({
      url: s.url[i],
      shown,
      passStreak: 0,
      okStreak: 0,
      best: 0,
      probes: 0,
      done: false,
    }))
    const start = ctx.now().getTime()
    const end = start + wait
    const cancelled = () => ctx.signal?.aborted === true
    let round = 0
    let probes = 0
    for (;;) {
      round++
      const pending = states.filter((u) => !u.done)
      const results = await Promise.all(pending.map((u) => probeSafely(u.url, u.shown, plan, ctx)))
      pending.forEach((u, i) => {
        const p = results[i]
        u.last = p
        u.probes++
        probes++
        u.passStreak = p.status === 'pass' ? u.passStreak + 1 : 0
        u.okStreak = p.status === 'fail' ? 0 : u.okStreak + 1
        u.best = Math.max(u.best, u.passStreak)
        if (u.passStreak >= consecutive) u.done = true
      })
      const now = ctx.now().getTime()
      const nextAt = Math.max(start + round * interval, now)
      const roundsLeft = wait === 0 ? consecutive - round : nextAt <= end ? Math.floor((end - nextAt) / interval) + 1 : 0
      const remaining = states.filter((u) => !u.done)
      // Stop when every URL is ready, the time is up, or no URL can still reach its quota.
      const reachable = remaining.some(
        (u) => consecutive - u.passStreak <= roundsLeft || (u.okStreak < consecutive && consecutive - u.okStreak <= roundsLeft),
      )
      const stop = remaining.length === 0 || roundsLeft === 0 || !reachable || cancelled()
      const left = cancelled()
        ? 'cancelled'
        : wait === 0
          ? `${roundsLeft} probe${roundsLeft === 1 ? '' : 's'} left`
          : `${formatDuration(Math.max(0, end - now))} left`
      log(progressLine(round, states, consecutive, stop, roundsLeft, left))
      if (stop) break
      await sleepUnlessCancelled(ctx, Math.max(0, nextAt - ctx.now().getTime()))
      if (cancelled()) {
        log(`round ${round}: cancelled while waiting for the next round`)
        break
      }
    }

    const checks = states.map((u) => finalCheck(u, plan, consecutive, wait, polling, cancelled()))
    const metrics: Record<string, number> = { probes }
    for (const u of states) if (u.last) metrics[`latency_ms:${u.shown}`] = u.last.latencyMs
    return { checks, metrics, details: detailsTable(states, checks) }
  },
})

/** ctx.sleep, cut short when the run is cancelled. */
async function sleepUnlessCancelled(ctx: GateContext, ms: number): Promise<void> {
  const signal = ctx.signal
  if (!signal) return ctx.sleep(ms)
  if (signal.aborted) return
  let onAbort = () => {}
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve()
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([ctx.sleep(ms), aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
