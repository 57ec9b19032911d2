// Bundles every action entry (src/actions/<name>.ts, except the shared runner) and the CLI into
// dist/<name>/index.js, in one rolldown build: code that several entries use goes once into
// dist/chunks/, so each action loads only its own gate and what that gate uses, and a change to
// one gate rewrites only its chunks. dist/ is committed (it is what users run) and CI rebuilds it
// and fails on a diff, so the output must be the same bytes on every build.
//
// Why not @vercel/ncc: it bundles each entry on its own, so every entry carries its own copy of
// zod, the runner and each lazily loaded module: 41 MB of dist/ with lazy imports, 22.6 MB
// minified, against 1.4 MB here (measured with bench/readyz.bench.ts).
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// `--out-dir <dir>`: build elsewhere (tests/build inspects a build without touching dist/).
const outAt = process.argv.indexOf('--out-dir')
const dist = outAt > 0 ? path.resolve(process.argv[outAt + 1]) : path.join(root, 'dist')

const input = Object.fromEntries(
  readdirSync(path.join(root, 'src', 'actions'))
    .filter((f) => f.endsWith('.ts') && f !== 'runner.ts')
    .sort()
    .map((f) => [`${path.basename(f, '.ts')}/index`, `src/actions/${f}`]),
)
input['cli/index'] = 'src/cli/index.ts'

/**
 * Packages whose top level only defines things: an import of them that uses nothing may be dropped.
 * @actions/core imports its OIDC client, and with it @actions/http-client and undici (0.7 MB), at
 * its top level; no action asks for an OIDC token, so without this every action would parse undici
 * at start-up. The GitHub client still gets them, in its own chunk, when it is loaded. Likewise
 * @actions/exec and @actions/io, which @actions/core imports only for `platform` details.
 */
const PURE_PACKAGES = ['@actions/http-client', 'undici', 'tunnel', '@actions/exec', '@actions/io']
const pure = (id) => PURE_PACKAGES.some((p) => id.includes(`${path.sep}node_modules${path.sep}${p}${path.sep}`))

rmSync(dist, { recursive: true, force: true })
const bundle = await rolldown({
  input,
  cwd: root,
  platform: 'node',
  logLevel: 'warn',
  treeshake: { moduleSideEffects: (id) => !pure(id) },
})
const { output } = await bundle.write({
  dir: dist,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  minify: true,
  // The license texts are in dist/licenses.txt, once.
  comments: { legal: false },
})
await bundle.close()
// The bundles are ES modules; one package.json covers every entry folder and the chunks.
writeFileSync(path.join(dist, 'package.json'), '{\n  "type": "module"\n}\n')

writeFileSync(path.join(dist, 'licenses.txt'), licenses(output))
// The CLI is package.json's `bin`: executable, as it is committed.
chmodSync(path.join(dist, 'cli', 'index.js'), 0o755)
for (const o of output) if (o.type === 'chunk' && o.isEntry) console.log(`built dist/${o.fileName}`)

/** The licenses of every package whose code is in dist/, by name, with the text its package ships. */
function licenses(chunks) {
  const dirs = new Map()
  for (const o of chunks) {
    if (o.type !== 'chunk') continue
    for (const id of o.moduleIds) {
      const dir = packageDir(id)
      if (dir) dirs.set(dir, true)
    }
  }
  const entries = new Map()
  for (const dir of dirs.keys()) {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
    const key = `${pkg.name}@${pkg.version}`
    if (entries.has(key)) continue
    const file = readdirSync(dir)
      .sort()
      .find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : '(the package ships no license file)'
    entries.set(key, `${pkg.name} ${pkg.version}\n${typeof pkg.license === 'string' ? pkg.license : 'see below'}\n${text}\n`)
  }
  if (entries.size === 0) throw new Error('no third-party package found in the bundles: the license list would be empty')
  return [...entries.keys()]
    .sort()
    .map((k) => entries.get(k))
    .join('\n')
}

/** The folder of the package (node_modules/<name> or node_modules/@scope/<name>) a bundled module came from. */
function packageDir(id) {
  const parts = id.split(path.sep)
  const at = parts.lastIndexOf('node_modules')
  if (at < 0) return undefined
  const depth = parts[at + 1]?.startsWith('@') ? 3 : 2
  const dir = parts.slice(0, at + depth).join(path.sep)
  // Some packages ship nested package.json files (pg/esm, zod/v4): the package's own is at its root.
  return existsSync(path.join(dir, 'package.json')) ? dir : undefined
}
