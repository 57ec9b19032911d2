/** The inputs of `release-freeze`: the frozen branch, the RC tag, the freeze point and who may approve. */
import type { ActionMeta } from '../../core/gate.js'
import { input } from '../../core/inputs.js'
import { InputFormError, parseInstant, parseList } from '../../core/units.js'
import { PEOPLE_FORM, parsePeople } from '../../github/people.js'

export const BRANCH_FORM = 'a branch name such as release/1.4 (without refs/heads/)'
export const TAG_FORM = 'a tag name such as v1.4.0-rc.2 (without refs/tags/)'
export const SINCE_FORM =
  'a tag (such as v1.4.0-rc.1), a full 40-character commit SHA, or an instant with its offset (such as 2026-03-20T18:00:00Z)'
export const LABELS_FORM = 'label names, one per line (or separated by commas), such as P0'

/** A git ref name, as `git check-ref-format` would accept one (the parts that matter for an API path). */
function refName(raw: string, prefix: string, form: string): string {
  const name = raw.trim().replace(new RegExp(`^${prefix}`), '')
  const bad =
    name === '' ||
    name.length > 255 ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0020\u007f~^:?*[\\]|\.\.|@\{|\/\/|^[-/.]|[/.]$|\.lock$|\.lock\//.test(name)
  if (bad) throw new InputFormError(raw, form)
  return name
}

export const parseBranch = (raw: string) => refName(raw, 'refs/heads/', BRANCH_FORM)
export const parseTag = (raw: string) => refName(raw, 'refs/tags/', TAG_FORM)

export type Since = { kind: 'sha'; sha: string } | { kind: 'time'; at: Date; text: string } | { kind: 'tag'; name: string }

export function parseSince(raw: string): Since {
  const text = raw.trim()
  if (/^[0-9a-f]{40}$/i.test(text)) return { kind: 'sha', sha: text.toLowerCase() }
  // Nothing that starts like a date is a tag here: a mistyped instant must not become a tag lookup.
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return { kind: 'time', at: parseInstant(raw, SINCE_FORM), text }
  try {
    return { kind: 'tag', name: parseTag(text) }
  } catch {
    throw new InputFormError(raw, SINCE_FORM)
  }
}

function parseLabels(raw: string): string[] {
  const labels = parseList(raw)
    .flatMap((l) => l.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
  if (labels.length === 0 || labels.some((l) => l.length > 100)) throw new InputFormError(raw, LABELS_FORM)
  return labels
}

export const releaseFreezeInputs = {
  branch: input.custom(
    'string',
    BRANCH_FORM,
    parseBranch,
  )(
    'The release branch that must be frozen: protected against force pushes and deletion and requiring reviews, by branch protection or a ruleset. Default: the branch the run is for (the base branch on pull requests, else the branch pushed or dispatched).',
  ),
  tag: input.custom(
    'string',
    TAG_FORM,
    parseTag,
  )('The RC tag, such as `v1.4.0-rc.2`: it must point at the commit under test (`sha`), lightweight or annotated.'),
  since: input.custom(
    'string',
    SINCE_FORM,
    parseSince,
  )(
    'The freeze point: a tag, a full commit SHA, or an instant. Every later commit on `branch` must have come through a merged pull request into it carrying one of `allowed-labels` (and, with `approvers`, approved by one of them). An instant is compared with commit dates, which whoever commits sets: prefer a tag or SHA.',
  ),
  'allowed-labels': input.custom(
    'list',
    LABELS_FORM,
    parseLabels,
  )('Labels that let a pull request into the frozen branch, compared without case.', {
    default: 'P0',
  }),
  approvers: input.custom(
    'list',
    PEOPLE_FORM,
    parsePeople,
  )(
    "Who must have approved each pull request since the freeze (the seeds' Incident Commander): logins or `org/team-slug` teams, one per line; one approval by any of them is enough. Teams need a token that may read the organization's members.",
  ),
}

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const releaseFreezeAction = {
  title: 'Release freeze',
  description:
    'Prove the release branch is frozen: protected against force pushes and deletion and requiring reviews (ruleset or branch protection), the RC tag at the commit under test, and every commit since the freeze through a merged pull request with an allowed label and an approver.',
  branding: { icon: 'lock', color: 'green' },
  example: {
    branch: 'release/1.4',
    tag: 'v1.4.0-rc.2',
    since: 'v1.4.0-rc.1',
    'allowed-labels': 'P0',
    approvers: 'acme/incident-commanders',
  },
} satisfies ActionMeta
