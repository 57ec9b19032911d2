/**
 * RPO in files: `source-manifest` (SHA256SUMS of the data as it was) against `restored-path`.
 */
import { check } from '../../../core/result.js'
import { MAX_MANIFEST_BYTES, ManifestError, parseManifest, showPath, type ManifestProblem } from '../../../lib/manifest/manifest.js'
import { formatFiles } from '../budget.js'
import { abs, errorText, location, shown, size, type Drill, type DrillProvider } from '../drill.js'
import { compareToManifest, type Loss } from '../files.js'

async function fileRpo(d: Drill): Promise<void> {
  const manifestIn = d.s['source-manifest']!
  const restoredIn = d.s['restored-path']!
  const budget = d.s.rpo.files!
  const expected = `at most ${formatFiles(budget)} lost`
  const started = d.ctx.now().getTime()
  const record = (result: string) => d.steps.push({ name: 'source-manifest', ms: d.ctx.now().getTime() - started, result })
  const unusable = (why: string, line?: number) => {
    record('unusable manifest')
    d.checks.push(
      check(
        'fail',
        'source-manifest',
        'no usable manifest',
        expected,
        `The source manifest ${shown(d, manifestIn)} could not be used: ${why}. Write it with \`sha256sum\` over the source data (paths relative to the folder).`,
        location(d, manifestIn, line),
      ),
    )
  }
  let entries
  try {
    const st = await d.ctx.fs.stat(abs(d, manifestIn))
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' })
    if (st.size > MAX_MANIFEST_BYTES) throw new ManifestError(`it is ${st.size} bytes; at most ${MAX_MANIFEST_BYTES} bytes are read`)
    const manifest = parseManifest(await d.ctx.fs.readFile(abs(d, manifestIn)))
    if (manifest.problems.length) return unusable(describeProblems(manifest.problems), manifest.problems[0].line)
    if (manifest.entries.length === 0) return unusable('it lists no files')
    entries = manifest.entries
  } catch (err) {
    if (err instanceof ManifestError) return unusable(err.message, err.line)
    return unusable(errorText(err))
  }
  try {
    const st = await d.ctx.fs.stat(abs(d, restoredIn))
    if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
  } catch (err) {
    record('restored folder missing')
    d.checks.push(
      check(
        'fail',
        'source-manifest',
        `restored folder unusable (${errorText(err)})`,
        expected,
        `The restored folder ${shown(d, restoredIn)} cannot be compared with ${shown(d, manifestIn)}: ${errorText(err)}. The restore did not produce it; check \`restored-path\` and the restore's output.`,
      ),
    )
    return
  }
  d.ctx.log(`source-manifest: hashing ${entries.length} file${entries.length === 1 ? '' : 's'} under ${shown(d, restoredIn)}`)
  const cmp = await compareToManifest(entries, abs(d, restoredIn), d.ctx.fs)
  const lost = cmp.lost
  d.metrics.files_checked = cmp.checked
  d.metrics.files_lost = lost.length
  record(`${cmp.checked} files, ${size(cmp.bytes)} hashed, ${lost.length} lost`)
  const counts = countReasons(lost)
  const observed = `${formatFiles(lost.length)} of ${cmp.checked} lost${counts ? ` (${counts})` : ''}`
  d.rpoLines.push(`files: **${formatFiles(lost.length)} lost** of ${cmp.checked}, budget ${formatFiles(budget)}`)
  const listed = lost
    .slice(0, 10)
    .map((l) => describeLoss(l))
    .join('; ')
  const more = lost.length > 10 ? ` and ${lost.length - 10} more` : ''
  if (lost.length > budget) {
    d.checks.push(
      check(
        'fail',
        'source-manifest',
        observed,
        expected,
        `${formatFiles(lost.length)} of ${shown(d, manifestIn)} ${lost.length === 1 ? 'is' : 'are'} lost in ${shown(d, restoredIn)}, above the RPO of ${formatFiles(budget)}: ${listed}${more}. Back up more often or closer to the cutover, then drill again.`,
        location(d, manifestIn, lost[0].entry.line),
      ),
    )
  } else {
    const note = lost.length ? ` Lost within the budget: ${listed}${more}.` : ''
    d.checks.push(
      check(
        'pass',
        'source-manifest',
        observed,
        expected,
        `${cmp.checked - lost.length} of ${cmp.checked} files of ${shown(d, manifestIn)} were restored intact in ${shown(d, restoredIn)}; ${formatFiles(lost.length)} lost is within the RPO of ${formatFiles(budget)}.${note}`,
      ),
    )
  }
}

/** Lines that cannot be checked make the whole comparison unreliable: name them. */
function describeProblems(problems: ManifestProblem[]): string {
  // The shared reader words its reasons for evidence folders; the rule is the same here.
  const listed = problems
    .slice(0, 5)
    .map((p) => `line ${p.line} (${showPath(p.written, 80)}) ${p.reason.replace(/the evidence folder/g, 'the folder')}`)
  const more = problems.length > 5 ? ` and ${problems.length - 5} more` : ''
  return `${problems.length} line${problems.length === 1 ? '' : 's'} cannot be checked: ${listed.join('; ')}${more}`
}

function countReasons(lost: Loss[]): string {
  const by = new Map<string, number>()
  for (const l of lost) by.set(l.reason, (by.get(l.reason) ?? 0) + 1)
  return [...by].map(([r, n]) => `${n} ${r}`).join(', ')
}

function describeLoss(l: Loss): string {
  const name = JSON.stringify(l.entry.path)
  if (l.reason === 'different') return `${name} differs (SHA-256 ${l.observed!.slice(0, 12)}…, expected ${l.entry.digest.slice(0, 12)}…)`
  if (l.reason === 'unreadable') return `${name} is unreadable (${l.detail})`
  return `${name} is ${l.reason}`
}

export const sourceManifest: DrillProvider = {
  name: 'source-manifest',
  applies: (s) => s['source-manifest'] !== undefined,
  run: fileRpo,
}
