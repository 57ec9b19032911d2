/**
 * `cutover last-known-good`: the release an environment runs after its last successful cutover,
 * kept where GitHub keeps deployments. The `record` job writes a deployment whose payload holds
 * the seed's last-known-good fields (wien-pilot §7.2: git_sha, config_hash, rollback_sha,
 * deployed_by, migrations_version) plus the evidence digest; this command reads it back, and the
 * rollback job takes its `git_sha` as ROLLBACK_SHA.
 *
 * The last known good is the newest deployment to the environment whose newest status is
 * `success` (GitHub marks the ones before it `inactive`). A newest success that holds no
 * last-known-good payload is a failure, not a reason to look further back: whatever deployed
 * last is what runs, and a rollback to something older would be a guess.
 */
import { readFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { GitHubApi } from '../core/gate.js'
import { apiFailure, isRecord } from '../github/errors.js'
import { pages } from '../github/pages.js'

export const LKG_USAGE = `Usage: cutover last-known-good --environment <name> [--field <name>] [--json]
       cutover last-known-good record --environment <name> --sha <commit> --evidence-digest sha256:<hex>
                                      [--config <cutover.yml>] [--env-config <file>]... [--migrations-version <v>]
                                      [--deployed-by <login>] [--dry-run]

  Reads (or records) the last known good release of an environment as a GitHub deployment.
  Needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/repo); GITHUB_API_URL for GitHub Enterprise.
  --field prints one field of the payload (e.g. git_sha) and nothing else.

Exit codes: 0 read or recorded, 2 otherwise.`

/** The payload a cutover's deployment carries: the seed's last-known-good.json, with the evidence. */
export interface LastKnownGood {
  git_sha: string
  /** SHA-256 (hex) of `cutover.yml` and of each environment config file, by file name. */
  config_hash: Record<string, string>
  /** The git_sha of the previous successful deployment, or null for the first one recorded. */
  rollback_sha: string | null
  deployed_by: string
  /** `sha256:<hex>` of the evidence bundle that said GO. */
  evidence_digest: string
  migrations_version?: string
  recorded_at: string
}

export interface Found {
  deploymentId: number
  createdAt: string
  payload: LastKnownGood
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
const DIGEST = /^sha256:[0-9a-f]{64}$/
const HEX64 = /^[0-9a-f]{64}$/
/** A deployment list is read to its last page only as far as the newest success: this caps a list that never ends. */
const MAX_DEPLOYMENTS = 1000

export class LkgError extends Error {}

/** Why a payload is not a last-known-good record, or nothing when it is one. */
export function payloadProblem(p: unknown): string | undefined {
  if (!isRecord(p)) return 'it holds no payload object'
  if (typeof p.git_sha !== 'string' || !SHA.test(p.git_sha)) return 'its `git_sha` is not a full commit SHA'
  if (!isRecord(p.config_hash) || Object.values(p.config_hash).some((h) => typeof h !== 'string' || !HEX64.test(h)))
    return 'its `config_hash` is not a map of file names to SHA-256 digests'
  if (p.rollback_sha !== null && (typeof p.rollback_sha !== 'string' || !SHA.test(p.rollback_sha)))
    return 'its `rollback_sha` is neither null nor a full commit SHA'
  if (typeof p.deployed_by !== 'string' || p.deployed_by.trim() === '') return 'its `deployed_by` is empty'
  if (typeof p.evidence_digest !== 'string' || !DIGEST.test(p.evidence_digest)) return 'its `evidence_digest` is not `sha256:<hex>`'
  if (p.migrations_version !== undefined && (typeof p.migrations_version !== 'string' || p.migrations_version === ''))
    return 'its `migrations_version` is empty'
  return undefined
}

/** The newest status of a deployment (GitHub lists them newest first). */
async function newestState(gh: GitHubApi, owner: string, repo: string, id: number): Promise<string | undefined> {
  const res = (await gh.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
    owner,
    repo,
    deployment_id: id,
    per_page: 1,
  })) as { data: unknown }
  if (!Array.isArray(res.data)) throw new LkgError(`GitHub answered the statuses of deployment ${id} with something that is not a list`)
  const first = res.data[0]
  return isRecord(first) && typeof first.state === 'string' ? first.state : undefined
}

/**
 * The environment's last known good, or undefined when it never had a successful deployment.
 * Throws LkgError (a sentence) when the API fails or the newest success is not ours.
 */
export async function readLastKnownGood(gh: GitHubApi, owner: string, repo: string, environment: string): Promise<Found | undefined> {
  let seen = 0
  try {
    for await (const page of pages(gh, 'GET /repos/{owner}/{repo}/deployments', { owner, repo, environment, per_page: 100 })) {
      if (!Array.isArray(page.data))
        throw new LkgError(`GitHub answered the deployments of ${owner}/${repo} with something that is not a list`)
      for (const d of page.data) {
        if (++seen > MAX_DEPLOYMENTS) throw new LkgError(`no successful deployment among the newest ${MAX_DEPLOYMENTS} to ${environment}`)
        if (!isRecord(d) || typeof d.id !== 'number') throw new LkgError('GitHub listed a deployment without an id')
        if (d.environment !== undefined && d.environment !== environment) continue
        if ((await newestState(gh, owner, repo, d.id)) !== 'success') continue
        const problem = payloadProblem(d.payload)
        if (problem)
          throw new LkgError(
            `the newest successful deployment to ${environment} (id ${d.id}, commit ${String(d.sha).slice(0, 12)}) is not a last-known-good record: ${problem}. It was not recorded by a cutover's record job, so what to roll back to is unknown`,
          )
        return { deploymentId: d.id, createdAt: String(d.created_at), payload: d.payload as unknown as LastKnownGood }
      }
    }
  } catch (err) {
    if (err instanceof LkgError) throw err
    throw new LkgError(
      apiFailure(
        err,
        `read the deployments of ${owner}/${repo}`,
        'The token needs `deployments: read` (or `contents: read`) on the repository.',
      ).replace(/ Run the gate again.*$/, ' Run it again.'),
    )
  }
  return undefined
}

export interface RecordInput {
  environment: string
  sha: string
  evidenceDigest: string
  configFiles: string[]
  deployedBy: string
  migrationsVersion?: string
  now: Date
}

async function configHashes(files: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const f of files) {
    let bytes: Buffer
    try {
      bytes = await readFile(f)
    } catch (err) {
      throw new LkgError(
        `the config file ${f} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}), so its hash cannot be recorded`,
      )
    }
    const name = path.basename(f)
    if (name in out) throw new LkgError(`two config files are named ${name}: give files of distinct names`)
    out[name] = createHash('sha256').update(bytes).digest('hex')
  }
  return out
}

/** Records the deployment and its success status; the rollback target is the last known good before it. */
export async function recordLastKnownGood(gh: GitHubApi, owner: string, repo: string, i: RecordInput): Promise<Found> {
  const previous = await readLastKnownGood(gh, owner, repo, i.environment)
  const payload: LastKnownGood = {
    git_sha: i.sha,
    config_hash: await configHashes(i.configFiles),
    rollback_sha: previous ? previous.payload.git_sha : null,
    deployed_by: i.deployedBy,
    evidence_digest: i.evidenceDigest,
    ...(i.migrationsVersion ? { migrations_version: i.migrationsVersion } : {}),
    recorded_at: i.now.toISOString(),
  }
  try {
    const created = (await gh.request('POST /repos/{owner}/{repo}/deployments', {
      owner,
      repo,
      ref: i.sha,
      environment: i.environment,
      auto_merge: false,
      required_contexts: [],
      description: 'cutover: last known good',
      payload: payload as unknown as Record<string, unknown>,
    })) as { status: number; data: unknown }
    const d = created.data
    if (created.status !== 201 || !isRecord(d) || typeof d.id !== 'number')
      throw new LkgError(
        `GitHub did not create the deployment (HTTP ${created.status}): ${isRecord(d) && typeof d.message === 'string' ? d.message : 'no deployment in the answer'}`,
      )
    await gh.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
      owner,
      repo,
      deployment_id: d.id,
      state: 'success',
      description: 'cutover complete: last known good',
    })
    return { deploymentId: d.id, createdAt: String(d.created_at), payload }
  } catch (err) {
    if (err instanceof LkgError) throw err
    throw new LkgError(
      apiFailure(err, `record the deployment to ${i.environment}`, 'The token needs `deployments: write` on the repository.').replace(
        / Run the gate again.*$/,
        ' Run it again.',
      ),
    )
  }
}

export interface LkgIo {
  env: Record<string, string | undefined>
  out: (s: string) => void
  err: (s: string) => void
  now?: () => Date
  /** The API client; by default one made from GITHUB_TOKEN and GITHUB_API_URL. */
  github?: GitHubApi
}

export async function lastKnownGoodCommand(args: string[], io: LkgIo): Promise<number> {
  const fail = (m: string) => {
    io.err(`cutover last-known-good: ${m}\n`)
    return 2
  }
  let parsed
  try {
    parsed = parseArgs({
      args,
      options: {
        environment: { type: 'string' },
        field: { type: 'string' },
        json: { type: 'boolean', default: false },
        sha: { type: 'string' },
        'evidence-digest': { type: 'string' },
        config: { type: 'string' },
        'env-config': { type: 'string', multiple: true },
        'migrations-version': { type: 'string' },
        'deployed-by': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    })
  } catch (err) {
    return fail(`${(err as Error).message}; see \`cutover last-known-good --help\``)
  }
  const { values: v, positionals } = parsed
  if (v.help) {
    io.out(LKG_USAGE + '\n')
    return 0
  }
  const [sub, ...extra] = positionals
  if (extra.length || (sub !== undefined && sub !== 'record'))
    return fail(`unexpected ${JSON.stringify([sub, ...extra].join(' '))}; the one subcommand is \`record\``)
  const environment = v.environment?.trim()
  if (!environment) return fail('name the environment: --environment production')
  const [owner, repo, ...more] = (io.env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || more.length) return fail('GITHUB_REPOSITORY must name the repository as owner/repo')
  const token = io.env.GITHUB_TOKEN?.trim()
  if (!io.github && !token) return fail('GITHUB_TOKEN is not set: the deployments are read through the GitHub API')
  // Loaded here, not at start-up: the client is most of the CLI's weight and only this needs it.
  const gh =
    io.github ?? (await import('../github/client.js')).createClient(token as string, {}, io.env.GITHUB_API_URL || 'https://api.github.com')

  try {
    if (sub === 'record') {
      const sha = v.sha?.trim().toLowerCase() ?? ''
      if (!SHA.test(sha)) return fail('--sha must be the full commit SHA of the release (40 or 64 hex digits)')
      const digest = v['evidence-digest']?.trim() ?? ''
      if (!DIGEST.test(digest))
        return fail("--evidence-digest must be `sha256:` and 64 lowercase hex digits (the evidence bundle's `digest`)")
      const deployedBy = (v['deployed-by'] ?? io.env.GITHUB_TRIGGERING_ACTOR ?? io.env.GITHUB_ACTOR ?? '').trim()
      if (!deployedBy) return fail('who deployed is unknown: give --deployed-by, or run where GITHUB_ACTOR is set')
      const migrations = v['migrations-version']?.trim()
      if (v['migrations-version'] !== undefined && !migrations)
        return fail('--migrations-version is empty: give the version, or leave it out')
      const configFiles = [...(v.config ? [v.config] : []), ...(v['env-config'] ?? [])]
      const input: RecordInput = {
        environment,
        sha,
        evidenceDigest: digest,
        configFiles,
        deployedBy,
        ...(migrations ? { migrationsVersion: migrations } : {}),
        now: (io.now ?? (() => new Date()))(),
      }
      if (v['dry-run']) {
        io.out(`(dry run) would record ${sha} as the last known good of ${environment}\n`)
        return 0
      }
      const r = await recordLastKnownGood(gh, owner, repo, input)
      io.out(
        v.json
          ? JSON.stringify({ deployment_id: r.deploymentId, ...r.payload }, null, 2) + '\n'
          : `Recorded ${sha.slice(0, 12)} as the last known good of ${environment} (deployment ${r.deploymentId}); rollback target ${r.payload.rollback_sha ?? 'none (the first one recorded)'}.\n`,
      )
      return 0
    }
    const found = await readLastKnownGood(gh, owner, repo, environment)
    if (!found) return fail(`${environment} has no successful deployment in ${owner}/${repo}: there is no last known good to read`)
    if (v.field !== undefined) {
      const value = (found.payload as unknown as Record<string, unknown>)[v.field]
      if (value === undefined || value === null || typeof value === 'object')
        return fail(
          `the last known good of ${environment} has no ${JSON.stringify(v.field)} field to print${value === null ? ' (it is null)' : ''}`,
        )
      io.out(`${String(value)}\n`)
      return 0
    }
    io.out(
      v.json
        ? JSON.stringify({ deployment_id: found.deploymentId, created_at: found.createdAt, ...found.payload }, null, 2) + '\n'
        : `Last known good of ${environment}: ${found.payload.git_sha} (deployment ${found.deploymentId}, ${found.createdAt}, by ${found.payload.deployed_by}); rollback target ${found.payload.rollback_sha ?? 'none'}; evidence ${found.payload.evidence_digest}.\n`,
    )
    return 0
  } catch (err) {
    if (err instanceof LkgError) return fail(err.message)
    throw err
  }
}
