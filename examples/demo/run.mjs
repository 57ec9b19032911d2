// `npm run demo`: start the demo service, run `cutover check` on examples/demo/cutover.yml with
// the bundled CLI, and print the Go/No-Go table. The demo is built to show a degraded endpoint
// and a key close to expiry, so the expected verdict is WARN (exit code 1); it succeeds when it sees it.
import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_CREDENTIALS } from './bank.mjs'
import { startDemoService } from './service.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../..')
const EXPECTED_EXIT = 1

// Key expiries are written relative to today, so the demo tells the same story any day:
// one signing key expires in 20 days (a warning), the others are healthy.
const day = 86_400_000
const iso = (ms) => new Date(Date.now() + ms).toISOString().slice(0, 10)
const inventory = [
  { name: 'psp-live-key', expires: iso(200 * day), owner: 'payments on-call' },
  { name: 'webhook-signing-secret', rotated: iso(-30 * day), 'rotate-every': '90d', owner: 'platform team' },
  { name: 'evidence-signing-key', expires: iso(20 * day), owner: 'release captain' },
]
await mkdir(path.join(root, 'cutover-reports'), { recursive: true })
const inventoryFile = path.join(root, 'cutover-reports', 'demo-keys.json')
await writeFile(inventoryFile, JSON.stringify(inventory, null, 2))

const server = await startDemoService()
const url = `http://127.0.0.1:${server.address().port}`
console.log(`Demo service listening on ${url}\n`)
const cli = await spawnAsync()
server.close()
console.log(`\ncutover check exited with ${cli} (0 pass, 1 warn, 2 fail).`)
if (cli !== EXPECTED_EXIT) {
  console.error(`The demo expected exit code ${EXPECTED_EXIT} (one degraded endpoint).`)
  process.exit(1)
}
console.log('Demo verdict as expected: GO with warnings (search-health is degraded; a key expires in 20 days).')

// Asynchronous, so this process keeps serving the demo endpoints while the CLI probes them.
function spawnAsync() {
  const args = [
    path.join(root, 'dist/cli/index.js'),
    'check',
    '--config',
    path.join(here, 'cutover.yml'),
    '--report-dir',
    path.join(root, 'cutover-reports/demo'),
  ]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: 'inherit',
      env: {
        ...process.env,
        DEMO_URL: url,
        DEMO_KEYS: inventoryFile,
        DEMO_RESTORE: path.join(root, 'cutover-reports', 'demo-restore'),
        DEMO_ARTIFACTS: path.join(root, 'cutover-reports', 'demo-artifacts'),
        // What a workflow passes from its secrets: the demo's are made up.
        DEMO_USER_TOKEN: DEMO_CREDENTIALS.userToken,
        DEMO_ADMIN_KEY: DEMO_CREDENTIALS.adminKey,
        DEMO_API_KEY: DEMO_CREDENTIALS.apiKey,
        DEMO_SESSION: DEMO_CREDENTIALS.session,
        DEMO_PSP_KEY: 'sk_live_demo_4f1c9e',
        DEMO_WEBHOOK_SECRET: 'whsec_demo_8d2b7a61c0',
      },
    })
    child.on('exit', (code) => resolve(code ?? 2))
  })
}
