/**
 * `cutover --version`: the version of the package this CLI was installed from, read from its
 * package.json at run time (so a release is one edit of package.json, never a rebuild to forget).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Our package.json is the nearest one above this file: dist/cli/ in a package, src/cli/ in a clone. */
export function packageVersion(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = [dir, 'package.json'].join(path.sep)
    let pkg: { version?: unknown; bin?: Record<string, unknown> } | undefined
    try {
      pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg
    } catch {
      // None here, or another project's that cannot be read: look one folder up.
    }
    if (pkg && typeof pkg === 'object') {
      if (pkg.bin && typeof pkg.bin === 'object' && 'cutover' in pkg.bin) {
        if (typeof pkg.version !== 'string' || !/^\d+\.\d+\.\d+/.test(pkg.version))
          throw new Error(`${file} gives no version such as 1.2.3 (it says ${JSON.stringify(pkg.version)})`)
        return pkg.version
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of cutover lies above ${from}`)
  }
}
