/**
 * key-rotation: no certificate, key or secret expires (or grows too old) around the cutover.
 *
 * Four sources reduce to one list of items, each with an expiry: PEM files (every certificate of
 * every bundle), live TLS endpoints (every certificate of the presented chain, read with SNI),
 * key inventories (YAML/JSON), and GitHub Actions secrets (`updated_at` + `max-secret-age`).
 * Each item is judged against `as-of` (default now; a D-1 run asks about the cutover window):
 * expired or under `fail-within` fails, under `warn-within` warns. A source that cannot be read
 * (no match, malformed PEM or inventory, unreachable endpoint, API refusal) is a `fail` of its own.
 */
import type { X509Certificate } from 'node:crypto'
import type { SecureContext } from 'node:tls'
import { defineGate, type GateRunContext } from '../../core/gate.js'
import { InputError } from '../../core/inputs.js'
import { check, type Check, type Status } from '../../core/result.js'
import { formatDuration } from '../../core/units.js'
import { certificateSubject, chainRole, isSelfSigned, issuedBy } from './certificate.js'
import { addSpan, formatInstant, plural } from './dates.js'
import { FileReadError, expandGlobs, readCapped, workspacePath, type FoundFile } from './files.js'
import { SecretsRefused, listSecrets, scopeLabel, type SecretScope } from './github-secrets.js'
import { InventoryError, parseInventory, type InventoryKey } from './inventory.js'
import { byTimeLeft, daysLeft, itemsTable, judge, type Judged, type KeyItem, type Limits } from './judge.js'
import { PemError, readPemCertificates } from './pem.js'
import { TlsFailure, fetchChain, trustContext, trustVerdict, type Endpoint } from './tls.js'
import { keyRotationInputs, keyRotationOutputs, keyRotationAction } from './spec.js'

export { keyRotationInputs } from './spec.js'

/** What the sources produced: items to judge, and checks of their own (unreadable sources, handshakes). */
interface Found {
  items: KeyItem[]
  checks: Check[]
}

const empty = (): Found => ({ items: [], checks: [] })

function notAfter(cert: X509Certificate): Date {
  return (cert as { validToDate?: Date }).validToDate ?? new Date(cert.validTo)
}

function notBefore(cert: X509Certificate): Date {
  return (cert as { validFromDate?: Date }).validFromDate ?? new Date(cert.validFrom)
}

function unmatchedChecks(input: string, unmatched: { pattern: string; why: string }[], ctx: GateRunContext, what: string): Check[] {
  return unmatched.map((u) =>
    check(
      'fail',
      `${input}: ${u.pattern}`,
      u.why,
      `one or more ${what}`,
      `The \`${input}\` pattern ${u.pattern} ${u.why} under ${ctx.cwd}. Check the path (relative to the workspace) and that the files are checked out or downloaded before this step.`,
    ),
  )
}

async function readFiles(
  input: string,
  patterns: string[],
  ctx: GateRunContext,
  what: string,
): Promise<{ files: (FoundFile & { data: Buffer })[]; checks: Check[] }> {
  const { files, unmatched } = await expandGlobs(patterns, ctx.cwd, ctx.fs)
  const checks = unmatchedChecks(input, unmatched, ctx, what)
  const read: (FoundFile & { data: Buffer })[] = []
  for (const f of files) {
    try {
      read.push({ ...f, data: await readCapped(f.abs, f.display, ctx.fs) })
    } catch (err) {
      const why = err instanceof FileReadError ? err.message : `${f.display} could not be read`
      checks.push(check('fail', `${input}: ${f.display}`, 'unreadable', `a readable file`, `${why}. Check the file and its permissions.`))
    }
  }
  return { files: read, checks }
}

function fileLocation(f: FoundFile, ctx: GateRunContext, line: number) {
  const p = workspacePath(f.abs, ctx.workspace)
  return p ? { path: p, line } : undefined
}

// ---------------------------------------------------------------------------------------------
// Sources

async function fromCertificateFiles(patterns: string[], ctx: GateRunContext): Promise<Found> {
  const out = empty()
  const { files, checks } = await readFiles('certificates', patterns, ctx, 'PEM files')
  out.checks.push(...checks)
  let count = 0
  for (const f of files) {
    let certs
    try {
      certs = readPemCertificates(f.data, f.display)
    } catch (err) {
      if (!(err instanceof PemError)) throw err
      out.checks.push(
        check(
          'fail',
          `certificates: ${f.display}`,
          `malformed PEM at line ${err.line}`,
          'one or more PEM certificates',
          `${err.message}. Replace the file with the PEM certificate(s) it should hold (openssl x509 -in ${f.display} -noout -text shows what openssl reads).`,
          fileLocation(f, ctx, err.line),
        ),
      )
      continue
    }
    count += certs.length
    certs.forEach(({ cert, line }, i) => {
      const subject = certificateSubject(cert)
      const position = certs.length > 1 ? ` (${i + 1} of ${certs.length})` : ''
      out.items.push({
        source: `${f.display}${position}`,
        subject,
        describe: `Certificate${certs.length > 1 ? ` ${i + 1} of ${certs.length}` : ''} in ${f.display} (${subject}; ${issuedBy(cert)})`,
        expires: notAfter(cert),
        validFrom: notBefore(cert),
        // A self-signed certificate has no issuer to ask: whoever made it makes the next one.
        action: isSelfSigned(cert)
          ? `This self-signed certificate has no issuer but itself: make a new one (or have your CA issue one) and replace it in ${f.display}, and wherever it is deployed or trusted, before the cutover.`
          : cert.ca
            ? `Replace this CA certificate in ${f.display} with the issuer's current one.`
            : `Renew it and replace it in ${f.display} (and wherever it is deployed) before the cutover.`,
        ...(fileLocation(f, ctx, line) ? { location: fileLocation(f, ctx, line) } : {}),
      })
    })
  }
  ctx.log(`certificates: ${plural(files.length, 'file')}, ${plural(count, 'certificate')}`)
  return out
}

async function trustedRoots(patterns: string[] | undefined, ctx: GateRunContext): Promise<{ context?: SecureContext; checks: Check[] }> {
  if (!patterns) return { checks: [] }
  const { files, checks } = await readFiles('trusted-ca', patterns, ctx, 'PEM CA files')
  const extra: string[] = []
  for (const f of files) {
    try {
      for (const { cert } of readPemCertificates(f.data, f.display)) extra.push(cert.toString())
    } catch (err) {
      if (!(err instanceof PemError)) throw err
      checks.push(
        check(
          'fail',
          `trusted-ca: ${f.display}`,
          `malformed PEM at line ${err.line}`,
          'PEM CA certificates',
          `${err.message}. Give the CA certificate(s) in PEM.`,
          fileLocation(f, ctx, err.line),
        ),
      )
    }
  }
  return { context: trustContext(extra, ctx.tls), checks }
}

function endpointLabel(ep: Endpoint): string {
  return ep.connect !== ep.host
    ? `${ep.text} (SNI ${ep.servername ?? 'none'})`
    : ep.servername
      ? `${ep.text} (SNI ${ep.servername})`
      : ep.text
}

async function fromEndpoint(
  ep: Endpoint,
  timeoutMs: number,
  secureContext: SecureContext | undefined,
  ctx: GateRunContext,
): Promise<Found> {
  const out = empty()
  const name = `${ep.text}: TLS handshake`
  const label = endpointLabel(ep)
  const covers = ep.servername ?? ep.host
  const expected = `a completed TLS handshake and a trusted chain covering ${covers}`
  let reading
  try {
    reading = await fetchChain(ep, {
      timeoutMs,
      ...(secureContext ? { secureContext } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      tls: ctx.tls,
      ...(ctx.timers ? { timers: ctx.timers } : {}),
    })
  } catch (err) {
    const f = err instanceof TlsFailure ? err : new TlsFailure(String(err), 'connection failed', 'Check the endpoint.')
    ctx.log(`endpoint ${ep.text}: ${f.short}`)
    out.checks.push(check('fail', name, f.short, expected, `${label} could not be checked: ${f.text}. ${f.next}`))
    return out
  }
  const { chain } = reading
  const protocol = reading.protocol ?? 'TLS'
  const chainText = `${protocol}, chain of ${chain.length}`
  let status: Status = 'pass'
  let observed = `${chainText}, trusted`
  let message = `${label} completed a ${protocol} handshake and presented a chain of ${chain.length} trusted for ${covers}.`
  if (!reading.authorized) {
    const code = reading.authorizationError ?? 'unknown'
    const v = trustVerdict(code)
    status = v.fail ? 'fail' : 'warn'
    observed = `${chainText}, not trusted (${code})`
    const detail = reading.identityProblem ? ` (${reading.identityProblem})` : ''
    message = `${label} completed a ${protocol} handshake, but ${v.text}: ${code}${detail}. ${v.next}`
  }
  ctx.log(`endpoint ${ep.text}: ${observed}`)
  out.checks.push(check(status, name, observed, expected, message))
  chain.forEach((cert, i) => {
    const role = chainRole(cert, i)
    const subject = certificateSubject(cert)
    out.items.push({
      source: `${ep.text} (${role}${role === 'intermediate' && chain.length > 3 ? ` ${i}` : ''})`,
      subject,
      describe: `The ${role} certificate presented by ${label} (${subject}; ${issuedBy(cert)})`,
      expires: notAfter(cert),
      validFrom: notBefore(cert),
      action:
        i === 0
          ? `Renew it and deploy it, with its intermediates, on the service behind ${ep.text} before the cutover.`
          : `Get the issuer's current ${role} certificate and serve the updated chain on ${ep.text}.`,
    })
  })
  return out
}

function inventoryItem(key: InventoryKey, f: FoundFile, ctx: GateRunContext): KeyItem {
  const at = `${f.display} line ${key.line}`
  const basis =
    key.basis.kind === 'created'
      ? `, created ${formatInstant(key.basis.at)} with max-age ${formatDuration(key.basis.maxAge)},`
      : key.basis.kind === 'rotated'
        ? `, last rotated ${formatInstant(key.basis.at)}, to rotate every ${formatDuration(key.basis.every)},`
        : ''
  const location = fileLocation(f, ctx, key.line)
  return {
    source: f.display,
    subject: key.name,
    describe: `Key ${JSON.stringify(key.name)} (${at})${basis}`,
    short: `Key ${JSON.stringify(key.name)} (${at})`,
    expires: key.expires,
    ...(key.basis.kind !== 'expires'
      ? { validFrom: key.basis.at, validFromWords: key.basis.kind === 'created' ? 'was created' : 'was last rotated' }
      : {}),
    ...(key.owner ? { owner: key.owner } : {}),
    action: `Rotate or renew it, then record the new date in ${f.display}.${key.owner ? '' : ' The inventory names no owner for it: add `owner` so people know whom to call.'}`,
    ...(location ? { location } : {}),
  }
}

async function fromInventories(patterns: string[], ctx: GateRunContext): Promise<Found> {
  const out = empty()
  const { files, checks } = await readFiles('inventory', patterns, ctx, 'inventory files')
  out.checks.push(...checks)
  for (const f of files) {
    let keys: InventoryKey[]
    try {
      keys = parseInventory(new TextDecoder().decode(f.data), f.display)
    } catch (err) {
      if (!(err instanceof InventoryError)) throw err
      out.checks.push(
        check(
          'fail',
          `inventory: ${f.display}`,
          `invalid inventory at line ${err.line}`,
          'a list of keys with expiry dates',
          `${err.message}. Fix the inventory and run the gate again.`,
          fileLocation(f, ctx, err.line),
        ),
      )
      continue
    }
    ctx.log(`inventory ${f.display}: ${plural(keys.length, 'key')}`)
    for (const k of keys) out.items.push(inventoryItem(k, f, ctx))
  }
  return out
}

async function fromGitHubSecrets(scopes: SecretScope[], maxAge: number, ctx: GateRunContext): Promise<Found> {
  const out = empty()
  for (const scope of scopes) {
    const label = scopeLabel(scope)
    const name = `GitHub ${label} secrets`
    const expected = `the secrets listed, each updated within ${formatDuration(maxAge)}`
    const gh = ctx.github
    if (!gh) {
      out.checks.push(
        check(
          'fail',
          name,
          'no GitHub token and repository',
          expected,
          `The ${label} secrets cannot be listed: no GitHub token and repository are known. In a workflow give \`github-token\` a fine-grained personal access token or GitHub App token with the repository permission 'Secrets: read' (the default GITHUB_TOKEN cannot list secrets); from the CLI set GITHUB_TOKEN and GITHUB_REPOSITORY.`,
        ),
      )
      continue
    }
    const repo = `${gh.owner}/${gh.repo}`
    let secrets
    try {
      secrets = await listSecrets(gh, scope)
    } catch (err) {
      const message =
        err instanceof SecretsRefused
          ? err.message
          : `Listing the ${label} secrets of ${repo} failed: ${String((err as Error)?.message ?? err).slice(0, 160)}.`
      const status = err instanceof SecretsRefused && err.status ? `HTTP ${err.status}` : 'not listed'
      ctx.log(`GitHub ${label} secrets: ${status}`)
      out.checks.push(check('fail', name, `refused (${status})`, expected, message, { url: secretsUrl(repo, scope) }))
      continue
    }
    ctx.log(`GitHub ${label} secrets: ${secrets.length}`)
    if (secrets.length === 0) {
      out.checks.push(
        check(
          'fail',
          name,
          '0 secrets',
          expected,
          `GitHub lists no ${label} secrets in ${repo}, so there is nothing to check there. If that is expected, remove \`${scope.kind === 'repository' ? 'repository' : `environment:${scope.name}`}\` from \`github-secrets\`.`,
          { url: secretsUrl(repo, scope) },
        ),
      )
      continue
    }
    const where = scope.kind === 'repository' ? `repository ${repo}` : `environment ${JSON.stringify(scope.name)} of ${repo}`
    const env = scope.kind === 'environment' ? ` --env ${JSON.stringify(scope.name)}` : ''
    for (const s of secrets) {
      out.items.push({
        source: `GitHub ${label}`,
        subject: s.name,
        describe: `Secret ${s.name} of ${where}, last updated ${formatInstant(s.updatedAt)} with max-secret-age ${formatDuration(maxAge)},`,
        short: `Secret ${s.name} of ${where}`,
        // An updated_at at the end of time has no expiry a Date holds: judged as such, never thrown.
        expires: addSpan(s.updatedAt, maxAge) ?? new Date(NaN),
        validFrom: s.updatedAt,
        validFromWords: 'was updated',
        action: `Rotate the credential it holds and update the secret (gh secret set ${s.name}${env}), or raise \`max-secret-age\` if your policy allows an older one.`,
        location: { url: secretsUrl(repo, scope) },
      })
    }
  }
  return out
}

function secretsUrl(repo: string, scope: SecretScope): string {
  return scope.kind === 'repository'
    ? `https://github.com/${repo}/settings/secrets/actions`
    : `https://github.com/${repo}/settings/environments`
}

// ---------------------------------------------------------------------------------------------
// The gate

const DAY = 86_400_000

/** `7 days` / `7 gün` for whole days, as the runbook writes them; other spans as durations (`36h`). */
function span(ms: number, language: 'en' | 'tr'): string {
  if (ms <= 0 || ms % DAY !== 0) return formatDuration(ms)
  const n = ms / DAY
  return language === 'tr' ? `${n} gün` : `${n} day${n === 1 ? '' : 's'}`
}

/** `7+ days`, the runbook's way of saying "at least". */
function atLeast(ms: number, language: 'en' | 'tr'): string {
  return span(ms, language).replace(/^(\d+)/, '$1+')
}

export const keyRotation = defineGate({
  name: 'key-rotation',
  category: 'Security',
  criteria: { en: 'Keys healthy', tr: 'Anahtarlar sağlıklı' },
  // The runbook's "Keys healthy (7+ days)", with the days this run was given.
  ...keyRotationAction,
  criteriaFor: (s) => {
    const secrets = s['github-secrets'].length > 0
    return {
      en: `Keys healthy (${atLeast(s['fail-within'], 'en')}; warn under ${span(s['warn-within'], 'en')}${secrets ? `; secrets ≤ ${span(s['max-secret-age'], 'en')} old` : ''})`,
      tr: `Anahtarlar sağlıklı (${atLeast(s['fail-within'], 'tr')}; ${span(s['warn-within'], 'tr')} altında uyarı${secrets ? `; secret'lar en fazla ${span(s['max-secret-age'], 'tr')}` : ''})`,
    }
  },
  inputs: keyRotationInputs,
  outputs: keyRotationOutputs,
  async run(s, ctx) {
    const scopes = s['github-secrets']
    if (!s.certificates && !s.endpoints && !s.inventory && scopes.length === 0) {
      throw new InputError(['nothing to check: give at least one of `certificates`, `endpoints`, `inventory` or `github-secrets`'])
    }
    if (s['warn-within'] < s['fail-within']) {
      throw new InputError([
        `\`warn-within\` (${formatDuration(s['warn-within'])}) is shorter than \`fail-within\` (${formatDuration(s['fail-within'])}), so it could never warn; make it at least as long`,
      ])
    }
    if (s['trusted-ca'] && !s.endpoints) throw new InputError(['`trusted-ca` is only used to check `endpoints`, and none is given'])
    const limits: Limits = { asOf: s['as-of'] ?? ctx.now(), warnWithin: s['warn-within'], failWithin: s['fail-within'] }
    if (s['as-of']) ctx.log(`judging as of ${formatInstant(limits.asOf)}`)

    const roots = s.endpoints ? await trustedRoots(s['trusted-ca'], ctx) : { checks: [] as Check[] }
    const found = await Promise.all([
      s.certificates ? fromCertificateFiles(s.certificates, ctx) : empty(),
      ...(s.endpoints ?? []).map((ep) => fromEndpoint(ep, s.timeout, roots.context, ctx)),
      s.inventory ? fromInventories(s.inventory, ctx) : empty(),
      fromGitHubSecrets(scopes, s['max-secret-age'], ctx),
    ])
    const sourceChecks = [...roots.checks, ...found.flatMap((f) => f.checks)]
    const judged: Judged[] = found
      .flatMap((f) => f.items)
      .map((item) => judge(item, limits))
      .sort(byTimeLeft)

    const failing = judged.filter((j) => j.check.status === 'fail').length
    const warning = judged.filter((j) => j.check.status === 'warn').length
    // Outputs and metrics give a real date; an item without one is a fail check of its own.
    const soonest = judged.find((j) => Number.isFinite(j.leftMs))
    ctx.log(
      `${plural(judged.length, 'item')}: ${failing} failing, ${warning} warning` +
        (soonest ? `; soonest ${soonest.item.source}: ${soonest.item.subject} (${soonest.check.observed})` : ''),
    )
    const metrics: Record<string, number> = {
      items: judged.length,
      expired: judged.filter((j) => j.leftMs <= 0).length,
      failing,
      warning,
    }
    if (soonest) metrics.min_days_left = daysLeft(soonest.leftMs)
    return {
      checks: [...sourceChecks, ...judged.map((j) => j.check)],
      metrics,
      details: itemsTable(judged, limits),
      outputs: {
        'next-expiry': soonest ? formatInstant(soonest.item.expires) : '',
        'min-days-left': soonest ? String(daysLeft(soonest.leftMs)) : '',
      },
    }
  },
})
