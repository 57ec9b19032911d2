#!/usr/bin/env node
// Extracts the few GitHub REST operations our actions call from GitHub's published OpenAPI
// description (npm package `@octokit/openapi`) into a small committed fixture that the test
// harness (tests/harness/fake-github.ts) validates requests against.
//
// The package is ~385 MB, so it is NOT a dependency of this repo. Install it in a temp folder:
//   mkdir -p /tmp/oa && cd /tmp/oa && npm init -y && npm i @octokit/openapi
// then run:
//   node scripts/extract-openapi.mjs [path/to/node_modules/@octokit/openapi] [--out tests/fixtures/github-openapi.json]
// The package path may also be given as OCTOKIT_OPENAPI_DIR. Default: /tmp/oa/node_modules/@octokit/openapi,
// then ./node_modules/@octokit/openapi.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const OPERATION_IDS = [
  'checks/create',
  'checks/update',
  'repos/get-environment',
  'repos/list-deployment-branch-policies',
  'actions/get-reviews-for-run',
  'actions/get-workflow-run',
  'actions/list-repo-secrets',
  'actions/list-environment-secrets',
  'repos/create-deployment',
  'repos/create-deployment-status',
  'repos/list-deployments',
  // last-known-good: which deployment's newest status is success
  'repos/list-deployment-statuses',
  'pulls/get',
  // release-freeze
  'repos/get-branch-protection',
  'repos/get-branch-rules',
  'git/get-ref',
  'git/get-tag',
  'repos/compare-commits-with-basehead',
  'repos/list-commits',
  'repos/list-pull-requests-associated-with-commit',
  'pulls/list-reviews',
  // security-alerts
  'code-scanning/list-alerts-for-repo',
  'dependabot/list-alerts-for-repo',
  'secret-scanning/list-alerts-for-repo',
  // approvers named as teams (release-freeze `approvers`, approval-guard `incident-commander`)
  'teams/get-membership-for-user-in-org',
]

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
// Annotation keywords that do not affect validation; dropped to keep the fixture small.
const DROP_KEYS = new Set(['description', 'example', 'examples', 'title', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly', 'xml'])
// Keywords whose value is a map from a name to a schema: keys are data names, never keywords.
const SCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'])

function parseArgs(argv) {
  const args = { pkg: undefined, out: join(repoRoot, 'tests/fixtures/github-openapi.json') }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--out') args.out = resolve(argv[++i])
    else if (a === '--help' || a === '-h') args.help = true
    else args.pkg = resolve(a)
  }
  return args
}

function findPackageDir(explicit) {
  const candidates = [
    explicit,
    process.env.OCTOKIT_OPENAPI_DIR,
    '/tmp/oa/node_modules/@octokit/openapi',
    join(repoRoot, 'node_modules/@octokit/openapi'),
  ].filter(Boolean)
  for (const c of candidates) {
    // Accept either the package dir or a folder whose node_modules holds it (e.g. /tmp/oa).
    for (const dir of [c, join(c, 'node_modules/@octokit/openapi')]) {
      if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'generated'))) return dir
    }
  }
  throw new Error(
    `@octokit/openapi not found (tried: ${candidates.join(', ')}).\n` +
      'Install it outside the repo: mkdir -p /tmp/oa && cd /tmp/oa && npm init -y && npm i @octokit/openapi',
  )
}

/** Strips annotations from a (dereferenced) JSON schema while keeping every validation keyword. */
function cleanSchema(schema) {
  if (Array.isArray(schema)) return schema.map(cleanSchema)
  if (schema === null || typeof schema !== 'object') return schema
  const out = {}
  for (const [k, v] of Object.entries(schema)) {
    if (DROP_KEYS.has(k) || k.startsWith('x-')) continue
    if (SCHEMA_MAP_KEYS.has(k) && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, cleanSchema(sub)]))
    } else if (k === 'enum' || k === 'const' || k === 'default' || k === 'required') {
      out[k] = v
    } else {
      out[k] = cleanSchema(v)
    }
  }
  return out
}

function assertNoRef(value, where) {
  const s = JSON.stringify(value)
  if (s.includes('"$ref"')) throw new Error(`${where}: $ref left in schema; use the .deref.json description`)
}

function collect(obj, key, acc = new Set()) {
  if (Array.isArray(obj)) obj.forEach((v) => collect(v, key, acc))
  else if (obj && typeof obj === 'object')
    for (const [k, v] of Object.entries(obj)) {
      if (k === key && typeof v === 'string') acc.add(v)
      collect(v, key, acc)
    }
  return acc
}

/**
 * The JSON body schema of each success status, so the fake can check that what it answers has
 * GitHub's shape too (a test that feeds a gate an answer GitHub never gives proves nothing).
 */
function successResponses(op, statuses) {
  const out = {}
  for (const status of statuses) {
    const schema = op.responses[String(status)]?.content?.['application/json']?.schema
    if (!schema) continue
    out[status] = cleanSchema(schema)
    assertNoRef(out[status], `${op.operationId} response ${status}`)
  }
  return out
}

function main() {
  const args = parseArgs(process.argv.slice(2))
  if (args.help) {
    console.log('usage: node scripts/extract-openapi.mjs [octokit-openapi-package-dir] [--out file]')
    return
  }
  const pkgDir = findPackageDir(args.pkg)
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const derefFile = join(pkgDir, 'generated/api.github.com.deref.json')
  const plainFile = join(pkgDir, 'generated/api.github.com.json')
  const file = existsSync(derefFile) ? derefFile : plainFile
  if (file === plainFile) throw new Error(`${derefFile} missing; this script needs the dereferenced description`)
  console.error(`reading ${file}`)
  const spec = JSON.parse(readFileSync(file, 'utf8'))

  const wanted = new Set(OPERATION_IDS)
  const operations = {}
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method]
      if (!op || !wanted.has(op.operationId)) continue
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])]
      const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name)
      const templateParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
      if (templateParams.join() !== pathParams.join()) {
        throw new Error(`${op.operationId}: path params ${pathParams} do not match template ${path}`)
      }
      const responses = Object.keys(op.responses ?? {})
      const success = responses.filter((c) => /^2\d\d$/.test(c)).map(Number)
      const content = op.requestBody?.content
      let requestBody = null
      if (content) {
        const contentType = content['application/json'] ? 'application/json' : Object.keys(content)[0]
        requestBody = {
          required: op.requestBody.required === true,
          contentType,
          schema: cleanSchema(content[contentType].schema),
        }
        assertNoRef(requestBody.schema, op.operationId)
      }
      operations[op.operationId] = {
        method: method.toUpperCase(),
        path,
        pathParams,
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true })),
        successStatus: success[0] ?? 200,
        successStatuses: success,
        documentationUrl: op.externalDocs?.url ?? null,
        requestBody,
        responses: successResponses(op, success),
      }
    }
  }
  const missing = OPERATION_IDS.filter((id) => !operations[id])
  if (missing.length) throw new Error(`operations not found in ${file}: ${missing.join(', ')}`)

  const ordered = Object.fromEntries(OPERATION_IDS.map((id) => [id, operations[id]]))
  const fixture = {
    $comment:
      'Generated by scripts/extract-openapi.mjs; do not edit by hand. Request-body and success-response schemas are dereferenced, annotations dropped.',
    source: {
      package: pkg.name,
      version: pkg.version,
      file: `generated/${file.split('/').pop()}`,
      openapi: spec.openapi,
      apiVersion: spec.info?.version ?? null,
    },
    formats: [
      ...collect(
        Object.values(ordered).flatMap((o) => [o.requestBody?.schema, ...Object.values(o.responses)]),
        'format',
      ),
    ].sort(),
    operations: ordered,
  }
  mkdirSync(dirname(args.out), { recursive: true })
  const text = JSON.stringify(fixture, null, 2) + '\n'
  writeFileSync(args.out, text)
  console.error(`wrote ${args.out} (${text.length} bytes, ${OPERATION_IDS.length} operations) from ${pkg.name}@${pkg.version}`)
}

main()
