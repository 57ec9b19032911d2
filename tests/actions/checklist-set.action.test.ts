// The root checklist action (dist/checklist) with `set`, run as the runner runs it: the inputs a
// workflow gives one run of the config's gates (what the reusable cutover workflow uses to anchor a
// canary step), and a config read from a trusted folder that measures the release through
// `${CUTOVER_RELEASE_DIR}`.
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAction } from '../harness/run-action.js'
import { json, serve, type TestServer } from '../support/http.js'

let svc: TestServer
beforeAll(async () => {
  svc = await serve((req, res) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname
    if (route === '/ok') return json(200, { status: 'ok' })(req, res)
    return json(503, { status: 'down' })(req, res)
  })
})
afterAll(() => svc.close())

async function workspace() {
  const cwd = await mkdtemp(path.join(tmpdir(), 'ws-set-'))
  await mkdir(path.join(cwd, '.cutover-config'))
  await writeFile(
    path.join(cwd, '.cutover-config', 'cutover.yml'),
    `version: 1\ngates:\n  - id: api\n    uses: readyz\n    with:\n      url: ${svc.url}/down\n      expect: status=ok\n`,
  )
  return cwd
}

describe('checklist action: set', () => {
  it("overrides the config's inputs for this run only, and names the gate's report as usual", async () => {
    const cwd = await workspace()
    const base = { config: '.cutover-config/cutover.yml', 'check-run': 'false' }
    const plain = await runAction('checklist', { cwd, inputs: base })
    expect(plain.outputs.status).toBe('fail')
    const set = await runAction('checklist', { cwd, inputs: { ...base, set: `url: ${svc.url}/ok\n`, 'id-suffix': '-25' } })
    expect(set.code, set.stdout).toBe(0)
    expect(set.outputs).toMatchObject({ status: 'pass', gates: 'api-25', decision: 'GO' })
    const report = JSON.parse(await readFile(path.join(cwd, 'cutover-reports', 'api-25.json'), 'utf8'))
    expect(report.checks[0].observed).toMatch(/HTTP 200/)
    // The config itself is untouched.
    expect(await readFile(path.join(cwd, '.cutover-config', 'cutover.yml'), 'utf8')).toContain('/down')
  })

  it('an input the gate does not take fails that gate with a sentence naming it', async () => {
    const cwd = await workspace()
    const r = await runAction('checklist', {
      cwd,
      inputs: { config: '.cutover-config/cutover.yml', 'check-run': 'false', set: 'hold: 15m' },
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/has no `hold`; accepted inputs are `url`/)
  })

  it('a `set` that is not a mapping of inputs is refused: nothing is measured or written', async () => {
    const cwd = await workspace()
    const r = await runAction('checklist', {
      cwd,
      inputs: { config: '.cutover-config/cutover.yml', 'check-run': 'false', set: '- url: x' },
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/input `set`/)
    expect(await readdir(cwd)).not.toContain('cutover-reports')
  })

  it('a config in a trusted folder measures the release through ${CUTOVER_RELEASE_DIR}', async () => {
    const cwd = await workspace()
    const release = path.join(cwd, 'release')
    await mkdir(path.join(release, 'artifacts'), { recursive: true })
    await writeFile(path.join(release, 'artifacts', 'app.tar'), 'release bytes\n')
    await writeFile(
      path.join(cwd, '.cutover-config', 'cutover.yml'),
      'version: 1\ngates:\n  - id: rc-proof\n    uses: evidence\n    with:\n      path: ${CUTOVER_RELEASE_DIR}/artifacts\n',
    )
    const r = await runAction('checklist', {
      cwd,
      inputs: { config: '.cutover-config/cutover.yml', 'check-run': 'false' },
      env: { CUTOVER_RELEASE_DIR: release },
    })
    // No manifest in the release's folder: the gate looked there (not in the trusted folder) and says so.
    const report = JSON.parse(await readFile(path.join(cwd, 'cutover-reports', 'rc-proof.json'), 'utf8'))
    expect(report.status).toBe('fail')
    expect(JSON.stringify(report.checks)).toContain(path.join(release, 'artifacts'))
    const unset = await runAction('checklist', { cwd, inputs: { config: '.cutover-config/cutover.yml', 'check-run': 'false' } })
    expect(unset.stdout).toMatch(/CUTOVER_RELEASE_DIR.*not set/)
    expect(r.code).toBe(1)
  })
})
