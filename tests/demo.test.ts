// The README's main command: the demo checklist on the bundled demo service gives its expected verdict.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { expect, it } from 'vitest'

it('npm run demo: every gate kind runs and the verdict is GO with the two planted warnings', async () => {
  const root = path.resolve(import.meta.dirname, '..')
  const child = spawn(process.execPath, ['examples/demo/run.mjs'], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME } })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const code = await new Promise((resolve) => child.on('close', resolve))
  expect(code, out).toBe(0)
  expect(out).toContain('Go/No-Go decision: GO with warnings (WARN, 12 gates')
  for (const id of ['api-readyz', 'rc-proof', 'keys', 'canary', 'dr-restore', 'policies', 'preflight', 'money-loop', 'auth-separation'])
    expect(out).toMatch(new RegExp(`^${id}\\s`, 'm'))
  expect(out).toMatch(/^search-health\s+Readyz healthy\s+⚠️ WARN/m)
  expect(out).toMatch(/^keys\s+Keys healthy \(7\+ days; warn under 30 days\)\s+⚠️ WARN/m)
})
