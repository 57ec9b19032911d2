/**
 * One check run per gate, `cutover / <id>`, created already completed in a single request;
 * annotations past the first 50 follow in updates of at most 50 each (GitHub's limit).
 * `output.summary` and `output.text` are cut to 65,535 UTF-8 bytes: the OpenAPI description says
 * characters, but GitHub answers 422 "exceeds a maximum bytesize of 65535"
 * (https://github.com/github/docs/issues/35252).
 */
import type { Language } from '../core/i18n.js'
import type { Check, GateResult, Status } from '../core/result.js'
import { clip, renderSummary, type GateRow } from '../core/summary.js'
import { clipBytes, fitMarkdown } from '../lib/fit.js'
import type { Octokit } from './client.js'
import type { RunContext } from '../core/run-context.js'

export const CONCLUSION: Record<Status, 'success' | 'neutral' | 'failure'> = { pass: 'success', warn: 'neutral', fail: 'failure' }
const LEVEL: Record<Status, 'notice' | 'warning' | 'failure'> = { pass: 'notice', warn: 'warning', fail: 'failure' }
export const ANNOTATION_BATCH = 50
/** GitHub's limit on `output.summary` and `output.text`, in UTF-8 bytes. */
export const CHECK_OUTPUT_BYTES = 65_535
/** GitHub's limit on an annotation's `message`: 64 KB. */
export const ANNOTATION_MESSAGE_BYTES = 64 * 1024 - 1

/** The shortening note, in the language of the rest of the text (the vocabulary of core/i18n stays the summary's). */
const SHORTENED: Record<Language, (f: { rowsLeftOut: number; endCut: boolean }, limit: number, report?: string) => string> = {
  en: ({ rowsLeftOut, endCut }, limit, report) => {
    const what = [rowsLeftOut ? `${rowsLeftOut} table row${rowsLeftOut === 1 ? '' : 's'} left out` : '', endCut ? 'the end cut' : '']
      .filter(Boolean)
      .join(' and ')
    const where = `in the job summary of this run${report ? ` and in its report \`${report}\`` : ''}`
    return `_Shortened to fit GitHub's check-run limit of ${limit.toLocaleString('en')} bytes (${what}). The full report is ${where}._`
  },
  tr: ({ rowsLeftOut, endCut }, limit, report) => {
    const what = [rowsLeftOut ? `${rowsLeftOut} tablo satırı çıkarıldı` : '', endCut ? 'sonu kesildi' : ''].filter(Boolean).join(', ')
    const where = `bu çalıştırmanın iş özetinde${report ? ` ve \`${report}\` raporunda` : ''}`
    return `_GitHub'ın ${limit.toLocaleString('tr')} baytlık check-run sınırı için kısaltıldı (${what}). Raporun tamamı ${where}._`
  },
}

/**
 * Check-run Markdown within GitHub's byte limit: table rows go first, the charts stay, and a last
 * line says what was left out and where the whole report is.
 */
export function checkRunText(text: string, language: Language, report?: string, limit = CHECK_OUTPUT_BYTES): string {
  return fitMarkdown(text, limit, (f) => SHORTENED[language](f, limit, report)).text
}

export interface Annotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title: string
}

/** Annotations for every non-passing check that points at a file. */
export function annotationsOf(checks: Check[]): Annotation[] {
  return checks
    .filter((c) => c.status !== 'pass' && c.location?.path)
    .map((c) => {
      const line = c.location?.line ?? 1
      return {
        path: c.location!.path!,
        start_line: line,
        end_line: line,
        annotation_level: LEVEL[c.status],
        message: clipBytes(c.message, ANNOTATION_MESSAGE_BYTES),
        title: clip(c.name, 255),
      }
    })
}

export function checkRunName(id: string): string {
  return `cutover / ${id}`
}

export type PublishOutcome = { published: true; id: number; url?: string; requests: number } | { published: false; warning: string }

/** `report` is where this gate's JSON report was saved, named when the text had to be shortened. */
export async function publishCheckRun(
  octokit: Octokit,
  run: RunContext,
  row: GateRow,
  language: Language,
  report?: string,
): Promise<PublishOutcome> {
  const { owner, repo, sha } = run
  const r: GateResult = row.result
  if (!owner || !repo || !sha) {
    return {
      published: false,
      warning: `Check run ${checkRunName(r.id)} not published: GITHUB_REPOSITORY and GITHUB_SHA are needed to know where it goes.`,
    }
  }
  const annotations = annotationsOf(r.checks)
  const summary = checkRunText(
    // Cut here, by the check-run limit and with its note, not by the job summary's 1 MiB and its note.
    renderSummary([row], { language, sha, details: false, limit: Number.MAX_SAFE_INTEGER }),
    language,
    report,
  )
  const text = r.details ? checkRunText(r.details, language, report) : undefined
  const output = (batch: Annotation[]) => ({
    title: clip(r.summary, 255),
    summary,
    ...(text !== undefined ? { text } : {}),
    ...(batch.length ? { annotations: batch } : {}),
  })
  try {
    let requests = 1
    const created = await octokit.rest.checks.create({
      owner,
      repo,
      head_sha: sha,
      name: checkRunName(r.id),
      status: 'completed',
      conclusion: CONCLUSION[r.status],
      started_at: r.startedAt,
      completed_at: r.finishedAt,
      external_id: r.id,
      output: output(annotations.slice(0, ANNOTATION_BATCH)),
    })
    for (let i = ANNOTATION_BATCH; i < annotations.length; i += ANNOTATION_BATCH) {
      await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: created.data.id,
        output: output(annotations.slice(i, i + ANNOTATION_BATCH)),
      })
      requests++
    }
    return { published: true, id: created.data.id, url: created.data.html_url ?? undefined, requests }
  } catch (err) {
    return { published: false, warning: explainFailure(r.id, err) }
  }
}

function explainFailure(id: string, err: unknown): string {
  const status = (err as { status?: number }).status
  const name = checkRunName(id)
  if (status === 403 || status === 404) {
    return (
      `Check run ${name} not published: the token may not write checks (HTTP ${status}). ` +
      'Give the job `permissions: checks: write`; pull requests from forks get a read-only token, so there the job summary is the record.'
    )
  }
  const why = err instanceof Error ? err.message : String(err)
  return `Check run ${name} not published: ${status ? `HTTP ${status}: ` : ''}${why}. The result stands; see the job summary.`
}
