// Bundles every action entry (src/actions/<name>.ts, except the shared runner) and the CLI
// with ncc into dist/<name>/index.js. dist/ is committed: it is what users run.
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const only = process.argv.slice(2)

const entries = readdirSync(path.join(root, 'src', 'actions'))
  .filter((f) => f.endsWith('.ts') && f !== 'runner.ts')
  .map((f) => [path.basename(f, '.ts'), `src/actions/${f}`])
entries.push(['cli', 'src/cli.ts'])

for (const [name, entry] of entries) {
  if (only.length && !only.includes(name)) continue
  const out = path.join(root, 'dist', name)
  rmSync(out, { recursive: true, force: true })
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--no-cache', '--quiet', '--target', 'es2022'], {
    cwd: root,
    stdio: 'inherit',
  })
  console.log(`built dist/${name}/index.js`)
}
