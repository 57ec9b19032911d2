// The answers tests feed the gates have GitHub's documented shape: each builder of
// tests/support/github-shapes.ts, checked against the operation's response schema.
import { describe, expect, it } from 'vitest'
import * as gh from '../support/github-shapes.js'
import { responseProblems } from './fake-github.js'

const SHA = 'a'.repeat(40)
const cases: [string, string, unknown][] = [
  ['git/get-ref', 'a lightweight tag', gh.gitRef('v1.4.0-rc.2', SHA)],
  ['git/get-ref', 'an annotated tag', gh.gitRef('v1.4.0-rc.2', 'b'.repeat(40), 'tag')],
  ['git/get-tag', 'a tag object', gh.gitTag('v1.4.0-rc.2', 'b'.repeat(40), SHA)],
  ['repos/list-commits', 'commits', [gh.commit(SHA), gh.commit('b'.repeat(40), 'Fix\n\nbody')]],
  ['repos/compare-commits-with-basehead', 'a comparison', gh.comparison(SHA, [gh.commit('b'.repeat(40))])],
  [
    'repos/list-pull-requests-associated-with-commit',
    'pull requests',
    [gh.pull({ number: 12, labels: ['P0'], mergeSha: SHA }), gh.pull({ number: 13, merged: false })],
  ],
  ['pulls/list-reviews', 'reviews', [gh.review('ic-alice', 'APPROVED', 12), gh.review('bob', 'CHANGES_REQUESTED', 12)]],
  ['repos/get-branch-protection', 'classic protection', gh.classicProtection('release/1.4')],
  ['repos/get-branch-protection', 'classic protection without reviews', gh.classicProtection('release/1.4', { approvals: null })],
  ['repos/get-branch-rules', 'rules', [gh.rule.nonFastForward(), gh.rule.deletion(), gh.rule.pullRequest(1), gh.rule.update()]],
  ['teams/get-membership-for-user-in-org', 'a membership', gh.teamMembership()],
  [
    'repos/get-environment',
    'an environment with user and team reviewers',
    gh.environment({ name: 'production', reviewers: ['alice', 'acme/release-captains'] }),
  ],
  ['repos/get-environment', 'an environment without reviewers', gh.environment({ name: 'staging', reviewers: null })],
  [
    'actions/get-reviews-for-run',
    'reviews of a run',
    [gh.runReview('alice', ['production'], 'approved', 'GO'), gh.runReview('bob', ['production-second-approval'])],
  ],
  [
    'code-scanning/list-alerts-for-repo',
    'code-scanning alerts',
    [
      gh.codeScanningAlert({ number: 3, rule: 'js/sql-injection', securityLevel: 'high' }),
      gh.codeScanningAlert({ number: 4, rule: 'js/unused-local-variable', severity: 'note' }),
    ],
  ],
  [
    'dependabot/list-alerts-for-repo',
    'Dependabot alerts',
    [
      gh.dependabotAlert({ number: 1, ghsa: 'GHSA-35jh-r3h4-6jhm', severity: 'high' }),
      gh.dependabotAlert({ number: 2, ghsa: 'GHSA-x', cve: null, severity: 'low' }),
    ],
  ],
  [
    'secret-scanning/list-alerts-for-repo',
    'secret-scanning alerts',
    [gh.secretAlert({ number: 2 }), gh.secretAlert({ number: 5, secret: 'ghp_x' })],
  ],
]

describe('test answers have the shape GitHub documents', () => {
  it.each(cases)('%s: %s', (operationId, _what, body) => {
    expect(responseProblems(operationId, 200, body)).toEqual([])
  })

  it('and a wrong one is caught', () => {
    expect(responseProblems('git/get-ref', 200, { ...gh.gitRef('v1', SHA), object: { sha: 'short' } })).not.toEqual([])
  })
})
