/**
 * Tags to commits. A lightweight tag's ref points at the commit; an annotated tag's ref points at
 * a tag object, which points at the commit (or, rarely, at another tag object: followed a few
 * levels). A tag of a tree or a blob names no commit.
 */
import type { GitHubPort } from '../../core/gate.js'
import { apiFailure, describeStatus, httpStatus, isRecord } from '../../github/errors.js'

export type TagRead = { sha: string; annotated: boolean } | { error: string; observed: string }

const READ_CONTENTS = 'Reading tags needs the repository permission "Contents: read" (`permissions: contents: read`).'
const MAX_DEPTH = 4

const objectOf = (data: unknown) => {
  const o = isRecord(data) ? data.object : undefined
  return isRecord(o) && typeof o.sha === 'string' && /^[0-9a-f]{40}$/.test(o.sha) && typeof o.type === 'string'
    ? { sha: o.sha, type: o.type }
    : undefined
}

export async function resolveTag(gh: GitHubPort, tag: string): Promise<TagRead> {
  const repo = `${gh.owner}/${gh.repo}`
  let target: { sha: string; type: string } | undefined
  try {
    const res = await gh.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: gh.owner, repo: gh.repo, ref: `tags/${tag}` })
    target = objectOf(res.data)
    if (!target || !(isRecord(res.data) && res.data.ref === `refs/tags/${tag}`)) {
      return {
        observed: 'unreadable answer',
        error: `GitHub answered the tag ${tag} of ${repo} with something that is not that tag's ref, so which commit it names cannot be told. Run the gate again.`,
      }
    }
  } catch (err) {
    if (httpStatus(err) === 404)
      return { observed: 'no such tag', error: `Tag ${tag} does not exist in ${repo}: push the RC tag, or correct \`tag\`/\`since\`.` }
    return { observed: `unreadable (${describeStatus(err)})`, error: apiFailure(err, `read tag ${tag} of ${repo}`, READ_CONTENTS) }
  }
  let annotated = false
  for (let depth = 0; target.type === 'tag'; depth++) {
    if (depth === MAX_DEPTH)
      return {
        observed: 'tags of tags',
        error: `Tag ${tag} of ${repo} is a tag of a tag more than ${MAX_DEPTH} levels deep; tag the commit itself.`,
      }
    annotated = true
    try {
      const res = await gh.octokit.request('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', {
        owner: gh.owner,
        repo: gh.repo,
        tag_sha: target.sha,
      })
      const next = objectOf(res.data)
      if (!next)
        return {
          observed: 'unreadable answer',
          error: `GitHub answered the tag object ${target.sha} of tag ${tag} with something that is not a tag object. Run the gate again.`,
        }
      target = next
    } catch (err) {
      return {
        observed: `unreadable (${describeStatus(err)})`,
        error: apiFailure(err, `read the annotated tag object ${target.sha} of tag ${tag}`, READ_CONTENTS),
      }
    }
  }
  if (target.type !== 'commit')
    return { observed: `a tag of a ${target.type}`, error: `Tag ${tag} of ${repo} names a ${target.type} (${target.sha}), not a commit.` }
  return { sha: target.sha, annotated }
}
