// Writes what the gates' specs say: every action.yml, cutover.schema.json, docs/actions/*.md and
// the README's table of actions (src/meta/generate.ts). `npm run build` runs it first; CI fails
// when the committed files differ. The sources are compiled to .generate/ and removed after.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, '.generate')
rmSync(out, { recursive: true, force: true })
try {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out], {
    cwd: root,
    stdio: 'inherit',
  })
  const { generateAll } = await import(pathToFileURL(path.join(out, 'meta/generate.js')).href)
  const files = await generateAll(root)
  let changed = 0
  for (const [file, text] of files) {
    const full = path.join(root, file)
    let before
    try {
      before = readFileSync(full, 'utf8')
    } catch {
      before = undefined
    }
    if (before === text) continue
    mkdirSync(path.dirname(full), { recursive: true })
    writeFileSync(full, text)
    changed++
    console.log(`wrote ${file}`)
  }
  // A docs page whose action is gone goes with it.
  const docs = path.join(root, 'docs/actions')
  for (const f of existsSync(docs) ? readdirSync(docs) : []) {
    if (files.has(`docs/actions/${f}`)) continue
    rmSync(path.join(docs, f))
    changed++
    console.log(`removed docs/actions/${f}`)
  }
  console.log(`generate: ${files.size} files, ${changed} changed`)
} finally {
  rmSync(out, { recursive: true, force: true })
}
