// Compiles src/ with tsc, then bundles every action entry (src/actions/<name>.ts, except the
// shared runner) and the CLI with ncc into dist/<name>/index.js. dist/ is committed: it is what
// users run, and CI rebuilds it to prove it is current.
import { execFileSync, spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file)
const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
const only = process.argv.slice(2)

rmSync(path.join(root, '.build'), { recursive: true, force: true })
run([bin('typescript', 'bin/tsc'), '-p', 'tsconfig.build.json'])

const entries = readdirSync(path.join(root, 'src', 'actions'))
  .filter((f) => f.endsWith('.ts') && f !== 'runner.ts')
  .map((f) => [path.basename(f, '.ts'), `.build/actions/${path.basename(f, '.ts')}.js`])
entries.push(['cli', '.build/cli/index.js'])

// Bundles are independent: build them a few at a time.
const ncc = (name, entry) =>
  new Promise((resolve, reject) => {
    const out = path.join(root, 'dist', name)
    rmSync(out, { recursive: true, force: true })
    const args = [
      bin('@vercel/ncc', 'dist/ncc/cli.js'),
      'build',
      entry,
      '-o',
      out,
      '--license',
      'licenses.txt',
      '--no-cache',
      '--quiet',
      '--target',
      'es2022',
    ]
    spawn(process.execPath, args, { cwd: root, stdio: 'inherit' }).on('close', (code) =>
      code === 0 ? (console.log(`built dist/${name}/index.js`), resolve()) : reject(new Error(`ncc failed for ${name} (exit ${code})`)),
    )
  })
const queue = entries.filter(([name]) => !only.length || only.includes(name))
await Promise.all(
  Array.from({ length: Math.min(availableParallelism(), 4) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await ncc(...next)
  }),
)
rmSync(path.join(root, '.build'), { recursive: true, force: true })
