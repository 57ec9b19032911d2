/**
 * People named in inputs as approvers: GitHub logins, or teams written `org/team-slug`. A login
 * is one of them when it is a named user (logins compare without case, as GitHub's do) or an
 * active member of a named team. Team membership needs a token that may read the organization's
 * members, which the workflow's GITHUB_TOKEN never may: such a refusal is said, never a match.
 */
import type { GitHubPort } from '../core/gate.js'
import { InputFormError, parseList } from '../core/units.js'
import { apiFailure, httpStatus, isRecord } from './errors.js'

export type Person = { kind: 'user'; login: string } | { kind: 'team'; org: string; slug: string }

export const PEOPLE_FORM = 'GitHub logins or teams written `org/team-slug`, one per line, such as `alice` or `acme/incident-commanders`'

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/

export function parsePerson(raw: string): Person {
  const text = raw.trim().replace(/^@/, '')
  const [a, b, ...rest] = text.split('/')
  if (b === undefined && LOGIN.test(a)) return { kind: 'user', login: a }
  if (b !== undefined && rest.length === 0 && LOGIN.test(a) && SLUG.test(b)) return { kind: 'team', org: a, slug: b }
  throw new InputFormError(raw, PEOPLE_FORM)
}

export function parsePeople(raw: string): Person[] {
  const items = parseList(raw).flatMap((l) =>
    l
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  if (items.length === 0) throw new InputFormError(raw, PEOPLE_FORM)
  return items.map(parsePerson)
}

export const personText = (p: Person) => (p.kind === 'user' ? p.login : `${p.org}/${p.slug}`)
export const peopleText = (ps: Person[]) => ps.map(personText).join(', ')

export interface Membership {
  /** The first named person the login is (or is a member of). */
  match?: Person
  /** Why a team could not be asked: a sentence each. Present only when no match was found. */
  problems: string[]
}

/** Asks each named person in turn; remembers team answers for the life of the checker. */
export function membershipChecker(gh: GitHubPort) {
  const cache = new Map<string, Promise<'member' | 'not' | { problem: string }>>()

  function teamAnswer(team: Extract<Person, { kind: 'team' }>, login: string) {
    const key = `${team.org}/${team.slug}/${login}`.toLowerCase()
    let answer = cache.get(key)
    if (!answer) {
      answer = gh.octokit
        .request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', { org: team.org, team_slug: team.slug, username: login })
        .then((res): 'member' | 'not' | { problem: string } => {
          const state = isRecord(res.data) ? res.data.state : undefined
          if (state === 'active') return 'member'
          if (state === 'pending') return 'not'
          return {
            problem: `GitHub answered the membership of ${login} in team ${personText(team)} with something that is not a membership.`,
          }
        })
        .catch((err: unknown) => {
          // GitHub answers 404 both for "not a member" and for a team the token cannot see.
          if (httpStatus(err) === 404) return 'not' as const
          return {
            problem: apiFailure(
              err,
              `read whether ${login} is a member of team ${personText(team)}`,
              'Reading team membership needs a token that may read the organization\u2019s members (a GitHub App or fine-grained token with the organization permission "Members: read", or a classic token with `read:org`); the workflow\u2019s GITHUB_TOKEN cannot. Give one as `github-token`, or name the people instead of the team.',
            ),
          }
        })
      cache.set(key, answer)
    }
    return answer
  }

  return async function isOneOf(login: string, people: Person[]): Promise<Membership> {
    const problems: string[] = []
    for (const p of people) {
      if (p.kind === 'user') {
        if (p.login.toLowerCase() === login.toLowerCase()) return { match: p, problems: [] }
        continue
      }
      const a = await teamAnswer(p, login)
      if (a === 'member') return { match: p, problems: [] }
      if (typeof a === 'object') problems.push(a.problem)
    }
    return { problems }
  }
}
