// `node --experimental-transform-types --import ./tests/support/ts-resolve.mjs scripts/preview-summary.mjs <out-dir> [en|tr]`: the
// demo's job summary as a captain sees it on GitHub. Runs the demo checklist (the checklist job's
// summary), then decide over its reports (the decide job's summary), writes both as Markdown, and
// renders them to HTML close to GitHub's styling, for `chromium --headless --screenshot`.
// (Transform, not strip-only: some sources use parameter properties.) Then, for a picture:
// `chromium --headless --no-sandbox --window-size=1280,1400 --screenshot=out.png file://<out-dir>/decide.en.html`.
// Mermaid blocks stay code blocks: no Mermaid renderer is installed here.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runChecklist } from '../src/core/checklist.ts'
import { loadConfig } from '../src/core/config.ts'
import { defaultContext, runGate } from '../src/core/gate.ts'
import { makeRedactor } from '../src/core/redact.ts'
import { recordRun } from '../src/core/record.ts'
import { gates } from '../src/gates/index.ts'
import { decide } from '../src/gates/decide/index.ts'
import { renderMarkdownPage } from './markdown-html.mjs'
import { DEMO_CREDENTIALS } from '../examples/demo/bank.mjs'
import { startDemoService } from '../examples/demo/service.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const [outDir = path.join(root, 'cutover-reports', 'preview'), language = 'en'] = process.argv.slice(2)
await mkdir(outDir, { recursive: true })
const work = await mkdtemp(path.join(tmpdir(), 'cutover-preview-'))
const day = 86_400_000
const iso = (ms) => new Date(Date.now() + ms).toISOString().slice(0, 10)
const keys = path.join(work, 'demo-keys.json')
await writeFile(
  keys,
  JSON.stringify([
    { name: 'psp-live-key', expires: iso(200 * day), owner: 'payments on-call' },
    { name: 'webhook-signing-secret', rotated: iso(-30 * day), 'rotate-every': '90d', owner: 'platform team' },
    { name: 'evidence-signing-key', expires: iso(20 * day), owner: 'release captain' },
  ]),
)
const server = await startDemoService()
const env = {
  ...process.env,
  DEMO_URL: `http://127.0.0.1:${server.address().port}`,
  DEMO_KEYS: keys,
  DEMO_RESTORE: path.join(work, 'restore'),
  DEMO_ARTIFACTS: path.join(work, 'artifacts'),
  DEMO_USER_TOKEN: DEMO_CREDENTIALS.userToken,
  DEMO_ADMIN_KEY: DEMO_CREDENTIALS.adminKey,
  DEMO_API_KEY: DEMO_CREDENTIALS.apiKey,
  DEMO_SESSION: DEMO_CREDENTIALS.session,
  DEMO_PSP_KEY: 'sk_live_demo_4f1c9e',
  DEMO_WEBHOOK_SECRET: 'whsec_demo_8d2b7a61c0',
}
await mkdir(env.DEMO_ARTIFACTS, { recursive: true })
const config = await loadConfig(path.join(root, 'examples/demo/cutover.yml'), env)
const reportDir = path.join(work, 'reports')
const subject = { sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' }
const quiet = { log: () => {}, env, language, catalog: gates }
const run = await runChecklist(config, gates, defaultContext(quiet), { language })
server.close()
const checklist = await recordRun(run.rows, { redact: makeRedactor(run.secrets), reportDir, subject, language, rule: config.decide })
const raw = { reports: reportDir, 'allow-warn': String(config.decide.allowWarn), sha: subject.sha }
const decided = await runGate(decide, raw, defaultContext({ ...quiet, cwd: work, workspace: work }), { id: 'decide' })
const decideRow = { result: decided, category: decide.category, criteria: decide.criteria[language], outputs: decided.outputs }
const decision = await recordRun([decideRow], {
  redact: (x) => x,
  reportDir: path.join(work, 'decide'),
  subject,
  language,
  rule: config.decide,
})
for (const [name, md] of [
  ['checklist', checklist.summary],
  ['decide', decision.summary],
]) {
  await writeFile(path.join(outDir, `${name}.${language}.md`), md)
  await writeFile(path.join(outDir, `${name}.${language}.html`), renderMarkdownPage(md, `cutover / ${name}`))
}
console.log(`Wrote ${outDir}/{checklist,decide}.${language}.{md,html}`)
