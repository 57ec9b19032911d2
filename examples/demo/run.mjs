// `npm run demo`: start the demo service, run `cutover check` on examples/demo/cutover.yml with
// the bundled CLI, and print the Go/No-Go table. The demo is built to show one degraded
// endpoint, so the expected verdict is WARN (exit code 1); the demo succeeds when it sees it.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDemoService } from './service.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../..')
const EXPECTED_EXIT = 1

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
console.log('Demo verdict as expected: GO with a warning (search-health is degraded).')

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
    const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, DEMO_URL: url } })
    child.on('exit', (code) => resolve(code ?? 2))
  })
}
