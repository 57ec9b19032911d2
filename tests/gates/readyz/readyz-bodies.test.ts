// Health bodies in the shapes their own documentation gives them, served by a real loopback
// server and judged by the real gate:
// - Kubernetes: https://kubernetes.io/docs/reference/using-api/health-checks/ (`/readyz?verbose`
//   text, `[+]name ok`, `[+]name excluded: ok`, `[-]name failed: reason withheld`, `readyz check
//   passed|failed`, and the `warn:` line for an exclude that matches nothing).
// - Spring Boot Actuator: https://docs.spring.io/spring-boot/api/rest/actuator/health.html
//   (`components`, nested composite `components`, `details`, `groups`; Boot 2.0/2.1 `details`).
// - IETF draft-inadarei-api-health-check-06 §3-§5 (`application/health+json`: `checks` map of
//   arrays, `componentId`, `componentType`, `observedValue`, `observedUnit`, statuses pass/warn/fail
//   with the aliases ok/up and error/down, case-insensitive).
// - MicroProfile Health 3 (`checks` as an array of `{name, status}`), which Quarkus and Open
//   Liberty serve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultContext, runGate } from '../../../src/core/gate.js'
import { readyz } from '../../../src/gates/readyz/gate.js'
import { serve, type TestServer } from '../../support/http.js'

let body: { status: number; type: string; text: string } = { status: 200, type: 'text/plain', text: 'ok' }
let svc: TestServer

beforeAll(async () => {
  svc = await serve((_req, res) => {
    res.writeHead(body.status, { 'content-type': body.type }).end(body.text)
  })
})
afterAll(() => svc.close())

async function judge(status: number, type: string, payload: unknown, inputs: Record<string, string> = {}) {
  body = { status, type, text: typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2) }
  const result = await runGate(readyz, { url: `${svc.url}/health`, ...inputs }, defaultContext({ log: () => {} }), { id: 'readyz' })
  expect(result.checks).toHaveLength(1)
  return result.checks[0]
}

const HEALTH = 'application/health+json'
const SPRING = 'application/vnd.spring-boot.actuator.v3+json'

/** draft-inadarei-api-health-check-06 §5, verbatim apart from the comments. */
const IETF_EXAMPLE = {
  status: 'pass',
  version: '1',
  releaseId: '1.2.2',
  notes: [''],
  output: '',
  serviceId: 'f03e522f-1f44-4062-9b55-9587f91c9c41',
  description: 'health of authz service',
  checks: {
    'cassandra:responseTime': [
      {
        componentId: 'dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2',
        componentType: 'datastore',
        observedValue: 250,
        observedUnit: 'ms',
        status: 'pass',
        affectedEndpoints: ['/users/{userId}', '/customers/{customerId}/status', '/shopping/{anything}'],
        time: '2018-01-17T03:36:48Z',
        output: '',
      },
    ],
    'cassandra:connections': [
      {
        componentId: 'dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2',
        componentType: 'datastore',
        observedValue: 75,
        status: 'warn',
        time: '2018-01-17T03:36:48Z',
        output: '',
        links: { self: 'http://api.example.com/dbnode/dfd6cf2b/health' },
      },
    ],
    uptime: [{ componentType: 'system', observedValue: 1209600.245, observedUnit: 's', status: 'pass', time: '2018-01-17T03:36:48Z' }],
    'cpu:utilization': [
      {
        componentId: '6fd416e0-8920-410f-9c7b-c479000f7227',
        node: 1,
        componentType: 'system',
        observedValue: 85,
        observedUnit: 'percent',
        status: 'warn',
        time: '2018-01-17T03:36:48Z',
        output: '',
      },
      {
        componentId: '6fd416e0-8920-410f-9c7b-c479000f7227',
        node: 2,
        componentType: 'system',
        observedValue: 85,
        observedUnit: 'percent',
        status: 'warn',
        time: '2018-01-17T03:36:48Z',
        output: '',
      },
    ],
    'memory:utilization': [
      {
        componentId: '6fd416e0-8920-410f-9c7b-c479000f7227',
        node: 1,
        componentType: 'system',
        observedValue: 8.5,
        observedUnit: 'GiB',
        status: 'warn',
        time: '2018-01-17T03:36:48Z',
        output: '',
      },
      {
        componentId: '6fd416e0-8920-410f-9c7b-c479000f7227',
        node: 2,
        componentType: 'system',
        observedValue: 5500,
        observedUnit: 'MiB',
        status: 'pass',
        time: '2018-01-17T03:36:48Z',
        output: '',
      },
    ],
  },
  links: { about: 'http://api.example.com/about/authz', 'http://api.x.io/rel/thresholds': 'http://api.x.io/about/authz/thresholds' },
}

const ietfPass = (checks: Record<string, unknown>) => ({ status: 'pass', version: '1', checks })

describe('IETF application/health+json', () => {
  it('the draft’s own example (top-level pass, components in warn) is a warn naming each degraded component', async () => {
    const c = await judge(200, HEALTH, IETF_EXAMPLE)
    expect(c.status).toBe('warn')
    expect(c.message).toContain('component cassandra:connections (dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2) is warn')
    expect(c.message).toContain('component cpu:utilization (6fd416e0-8920-410f-9c7b-c479000f7227) is warn')
    expect(c.message).toContain('component memory:utilization')
    expect(c.message).not.toContain('cassandra:responseTime')
    expect(c.message).not.toContain('uptime')
    expect(c.message).toMatch(/the service reports pass, but 4 of 7 component checks are not passing/)
  })

  it('a failing component fails the gate although the top-level status says pass', async () => {
    const c = await judge(200, HEALTH, { status: 'pass', checks: { 'db:responseTime': [{ status: 'fail' }] } })
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component db:responseTime is fail')
    expect(c.message).toContain('the service reports pass, but 1 of 1 component check is not passing')
  })

  it('one failing node of a multi-node component fails it, with its output', async () => {
    const c = await judge(
      200,
      HEALTH,
      ietfPass({
        'postgres:connections': [
          { componentId: 'node-a', componentType: 'datastore', observedValue: 12, status: 'pass' },
          { componentId: 'node-b', componentType: 'datastore', observedValue: 0, status: 'fail', output: 'connection refused' },
        ],
      }),
    )
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component postgres:connections (node-b) is fail: connection refused')
    expect(c.message).not.toContain('node-a')
  })

  it('a failing component fails even when `expect` asserts the top-level status', async () => {
    const c = await judge(200, HEALTH, { status: 'pass', checks: { 'db:responseTime': [{ status: 'fail' }] } }, { expect: 'status=pass' })
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component db:responseTime is fail')
  })

  it.each([
    ['ok', 'pass'],
    ['UP', 'pass'],
    ['Pass', 'pass'],
    ['error', 'fail'],
    ['DOWN', 'fail'],
    ['FAIL', 'fail'],
    ['Warn', 'warn'],
  ] as const)('reads the component status %s as %s (the aliases, case-insensitive)', async (word, status) => {
    const c = await judge(200, HEALTH, ietfPass({ 'redis:ping': [{ componentType: 'datastore', status: word }] }))
    expect(c.status).toBe(status)
    if (status !== 'pass') expect(c.message).toContain(`component redis:ping is ${word}`)
  })

  it.each([
    ['null', null],
    ['an object', { code: 'DOWN' }],
    ['a number', 0],
    ['an unknown word', 'banana'],
  ])('a component whose status is %s is unrecognised, so it fails', async (_what, status) => {
    const c = await judge(200, HEALTH, ietfPass({ 'db:ping': [{ status }] }))
    expect(c.status).toBe('fail')
    expect(c.message).toMatch(/component db:ping .*not a recognised health status/)
  })

  it('a component without a status (the draft makes it optional) does not decide', async () => {
    const c = await judge(200, HEALTH, ietfPass({ uptime: [{ componentType: 'system', observedValue: 12, observedUnit: 's' }] }))
    expect(c.status).toBe('pass')
  })
})

/** The Spring Boot reference's response for GET /actuator/health (composite `broker`). */
const SPRING_EXAMPLE = {
  status: 'UP',
  components: {
    broker: {
      status: 'UP',
      components: {
        us1: { status: 'UP', details: { version: '1.0.2' } },
        us2: { status: 'UP', details: { version: '1.0.4' } },
      },
    },
    db: { status: 'UP', details: { database: 'H2', validationQuery: 'isValid()' } },
    diskSpace: {
      status: 'UP',
      details: { total: 76887154688, free: 49923645440, threshold: 10485760, path: '/workspace/.', exists: true },
    },
  },
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

describe('Spring Boot Actuator', () => {
  it('passes the reference example', async () => {
    const c = await judge(200, SPRING, SPRING_EXAMPLE)
    expect(c.status).toBe('pass')
    expect(c.observed).toContain('spring UP')
  })

  it('a DOWN component fails the gate although the top-level status says UP', async () => {
    const c = await judge(200, 'application/json', { status: 'UP', components: { db: { status: 'DOWN' } } })
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component db is DOWN')
    expect(c.message).toContain('the service reports UP, but 1 of 1 component check is not passing')
  })

  it('a DOWN member of a composite (components.broker.components.us2) fails and is named by its path', async () => {
    const b = clone(SPRING_EXAMPLE)
    b.components.broker.components.us2 = {
      status: 'DOWN',
      details: { version: '1.0.4', error: 'java.net.ConnectException: Connection refused' },
    } as never
    const c = await judge(200, SPRING, b)
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component broker/us2 is DOWN: java.net.ConnectException: Connection refused')
    expect(c.message).not.toContain('us1')
  })

  it.each([
    ['db', 'OUT_OF_SERVICE', 'fail', 'component db is OUT_OF_SERVICE'],
    // Its health could not be established, beside components that answer: degraded.
    ['diskSpace', 'UNKNOWN', 'warn', 'component diskSpace is UNKNOWN'],
    // A custom status code the gate does not know is unrecognised.
    ['db', 'FATAL', 'fail', 'component db is "FATAL", not a recognised health status'],
  ] as const)('component %s %s is a %s', async (name, word, status, says) => {
    const b = clone(SPRING_EXAMPLE)
    b.components[name].status = word
    const c = await judge(200, SPRING, b)
    expect(c.status).toBe(status)
    expect(c.message).toContain(says)
  })

  it('a component under `components` without a status string fails', async () => {
    const c = await judge(200, SPRING, { status: 'UP', components: { db: { status: null }, ping: { status: 'UP' } } })
    expect(c.status).toBe('fail')
    expect(c.message).toMatch(/component db .*not a recognised health status/)
  })

  it('the root with health groups listed, and a readiness group body, pass', async () => {
    const root = { ...clone(SPRING_EXAMPLE), groups: ['liveness', 'readiness'] }
    expect((await judge(200, SPRING, root)).status).toBe('pass')
    const readiness = { status: 'UP', components: { readinessState: { status: 'UP' } } }
    expect((await judge(200, SPRING, readiness)).status).toBe('pass')
  })

  it('a DOWN readiness group is named', async () => {
    const c = await judge(503, SPRING, { status: 'OUT_OF_SERVICE', components: { readinessState: { status: 'OUT_OF_SERVICE' } } })
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component readinessState is OUT_OF_SERVICE')
  })

  it('a DOWN component nested deeper than the gate reads is not hidden: too deep to read is a fail', async () => {
    const depth = 40
    let node: Record<string, unknown> = { status: 'DOWN' }
    for (let i = depth; i > 0; i--) node = { status: 'UP', components: { [`c${i}`]: node } }
    const c = await judge(200, SPRING, node)
    expect(c.status).toBe('fail')
    expect(c.message).toMatch(/components nest deeper than 32 levels below c1\/c2\/.*; the rest was not read/)
  })

  it('details that merely hold data (an Elasticsearch cluster colour) are not components', async () => {
    const c = await judge(200, 'application/json', {
      status: 'UP',
      components: {
        elasticsearch: { status: 'UP', details: { cluster_name: 'docker-cluster', status: 'yellow', number_of_nodes: 1 } },
      },
    })
    expect(c.status).toBe('pass')
  })

  it('Boot 2.0/2.1 `details` layout: an UP root with a DOWN member fails', async () => {
    const c = await judge(200, 'application/vnd.spring-boot.actuator.v2+json', {
      status: 'UP',
      details: { db: { status: 'DOWN', details: { error: 'timeout' } }, diskSpace: { status: 'UP', details: { free: 1 } } },
    })
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component db is DOWN: timeout')
  })
})

describe('MicroProfile Health (checks as an array)', () => {
  it('a DOWN check fails although the top-level status says UP', async () => {
    const c = await judge(200, 'application/json', {
      status: 'UP',
      checks: [
        { name: 'ping', status: 'UP' },
        { name: 'database-connections', status: 'DOWN', data: { pool: 0 } },
      ],
    })
    expect(c.status).toBe('fail')
    expect(c.message).toContain('component database-connections is DOWN')
  })

  it('all UP passes', async () => {
    const c = await judge(200, 'application/json', { status: 'UP', checks: [{ name: 'ping', status: 'UP' }] })
    expect(c.status).toBe('pass')
  })
})

describe('a status that is not a recognised string', () => {
  it.each([
    ['null', 'application/json', null],
    ['an object', 'application/json', { code: 'DOWN' }],
    ['an object, health+json', HEALTH, { code: 'UP' }],
    ['a number', 'application/json', 200],
    ['a boolean', 'application/json', true],
    ['null, health+json', HEALTH, null],
  ])('status %s fails, saying what it saw and what it expected', async (_what, type, status) => {
    const c = await judge(200, type, { status })
    expect(c.status).toBe('fail')
    expect(c.message).toMatch(/not a recognised health status/)
    expect(c.message).toMatch(/expected pass\/ok\/up/)
    expect(c.message).toContain('`expect`')
  })

  it('an assertion on status still lets a service with its own convention pass', async () => {
    expect((await judge(200, 'application/json', { status: { code: 'UP' } }, { expect: 'status.code=UP' })).status).toBe('pass')
    expect((await judge(200, 'application/json', { status: 200 }, { expect: 'status=200' })).status).toBe('pass')
  })
})

/** kubectl get --raw='/readyz?verbose' on a healthy API server (kubernetes.io). */
const K8S_READY = [
  '[+]ping ok',
  '[+]log ok',
  '[+]etcd ok',
  '[+]informer-sync ok',
  '[+]poststarthook/start-kube-apiserver-admission-initializer ok',
  '[+]poststarthook/generic-apiserver-start-informers ok',
  '[+]poststarthook/priority-and-fairness-config-consumer ok',
  '[+]poststarthook/start-apiextensions-informers ok',
  '[+]poststarthook/crd-informer-synced ok',
  '[+]poststarthook/rbac/bootstrap-roles ok',
  '[+]poststarthook/apiservice-registration-controller ok',
  '[+]shutdown ok',
  'readyz check passed',
  '',
].join('\n')

describe('Kubernetes /readyz?verbose', () => {
  it('passes a healthy API server and counts its checks', async () => {
    const c = await judge(200, 'text/plain; charset=utf-8', K8S_READY)
    expect(c.status).toBe('pass')
    expect(c.message).toContain('all 12 readiness checks pass')
  })

  it('passes with an excluded check, saying it was excluded', async () => {
    const c = await judge(200, 'text/plain; charset=utf-8', K8S_READY.replace('[+]etcd ok', '[+]etcd excluded: ok'))
    expect(c.status).toBe('pass')
    expect(c.message).toContain('etcd excluded')
  })

  it('fails on a withheld failure with HTTP 500, naming the check', async () => {
    const text = K8S_READY.replace(
      '[+]poststarthook/rbac/bootstrap-roles ok',
      '[-]poststarthook/rbac/bootstrap-roles failed: reason withheld',
    ).replace('readyz check passed', 'readyz check failed')
    const c = await judge(500, 'text/plain; charset=utf-8', text)
    expect(c.status).toBe('fail')
    expect(c.message).toContain('poststarthook/rbac/bootstrap-roles failed: reason withheld')
    expect(c.message).toContain('1 of 12 readiness checks failed')
  })

  it('fails on a [-] line even when a proxy turned the answer into HTTP 200', async () => {
    const text = K8S_READY.replace('[+]etcd ok', '[-]etcd failed: reason withheld')
    const c = await judge(200, 'text/plain; charset=utf-8', text)
    expect(c.status).toBe('fail')
    expect(c.message).toContain('etcd failed: reason withheld')
  })

  it('notes the warning for an exclude that matched nothing', async () => {
    const text = K8S_READY.replace(
      'readyz check passed',
      'warn: some health checks cannot be excluded: no matches for "etcd2"\nreadyz check passed',
    )
    const c = await judge(200, 'text/plain; charset=utf-8', text)
    expect(c.status).toBe('pass')
    expect(c.message).toContain('some health checks cannot be excluded: no matches for "etcd2"')
  })

  it('passes the non-verbose answer on its status code', async () => {
    const c = await judge(200, 'text/plain; charset=utf-8', 'ok')
    expect(c.status).toBe('pass')
  })
})

describe('empty bodies', () => {
  it.each([HEALTH, 'application/json'])('an empty body declared %s fails', async (type) => {
    const c = await judge(200, type, '')
    expect(c.status).toBe('fail')
    expect(c.message).toContain(`the body is declared ${type} but is empty`)
  })
})

describe('compressed answers', () => {
  // node:http does not decode a body as fetch did: the probe must, or a compressed `pass` would be judged as garbage bytes.
  for (const coding of ['gzip', 'deflate', 'br'] as const) {
    it(`judges a ${coding}-encoded health body by what it says`, async () => {
      const zlib = await import('node:zlib')
      const pack = (s: string) =>
        coding === 'gzip' ? zlib.gzipSync(s) : coding === 'deflate' ? zlib.deflateSync(s) : zlib.brotliCompressSync(s)
      const encoded = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': HEALTH, 'content-encoding': coding }).end(pack(JSON.stringify({ status: 'pass' })))
      })
      try {
        const result = await runGate(readyz, { url: `${encoded.url}/health` }, defaultContext({ log: () => {} }), { id: 'readyz' })
        expect(result.status).toBe('pass')
        expect(result.checks[0].observed).toMatch(/^HTTP 200, health\+json pass/)
      } finally {
        await encoded.close()
      }
    })
  }

  it('fails, naming the body, when a gzip body is corrupt', async () => {
    const broken = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': HEALTH, 'content-encoding': 'gzip' }).end('not gzip at all')
    })
    try {
      const result = await runGate(readyz, { url: `${broken.url}/health` }, defaultContext({ log: () => {} }), { id: 'readyz' })
      expect(result.status).toBe('fail')
      expect(result.checks[0].message).toMatch(/answered HTTP 200 but the body could not be read/)
    } finally {
      await broken.close()
    }
  })
})
