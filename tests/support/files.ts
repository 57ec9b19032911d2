// Files that tests write for gates to read: numbered, in a folder of the test's own.
import { utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** A writer of `<dir>/evidence-<n>.json` (text as given, anything else as JSON), optionally back-dated to `mtime` (epoch ms). */
export function fileWriter(dir: string): (body: unknown, mtime?: number) => string {
  let n = 0
  return (body, mtime) => {
    const f = path.join(dir, `evidence-${++n}.json`)
    writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body))
    if (mtime !== undefined) utimesSync(f, mtime / 1000, mtime / 1000)
    return f
  }
}
