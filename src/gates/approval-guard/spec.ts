/** The inputs of approval-guard, each with its description, default and form. */
import type { ActionMeta } from '../../core/gate.js'
import { input } from '../../core/inputs.js'
import { InputFormError, parseList } from '../../core/units.js'
import { PEOPLE_FORM, parsePerson } from '../../github/people.js'

export const ENVIRONMENT_FORM = 'a GitHub environment name of at most 255 characters, such as production'

export function parseEnvironmentName(raw: string): string {
  const name = raw.trim()
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) throw new InputFormError(raw, ENVIRONMENT_FORM)
  return name
}

/** GitHub lets an environment list at most six reviewers (users or teams). */
export const MAX_REVIEWERS = 6

export const approvalGuardInputs = {
  environment: input.custom(
    'string',
    ENVIRONMENT_FORM,
    parseEnvironmentName,
  )('The GitHub environment the cutover deploys to: the `environment:` of the job whose reviewers approve GO, such as production.', {
    required: true,
  }),
  'min-reviewers': input.integer(1, MAX_REVIEWERS)(
    'The fewest required reviewers the environment must list (users or teams; a team counts as one, as any one of its members may approve). At most 6, as GitHub allows.',
    { default: '1' },
  ),
  'prevent-self-review': input.boolean(
    'Require the environment to forbid self-review; with `record-approvals`, also fail when the person who started the run (GITHUB_ACTOR) or triggered this attempt of it (GITHUB_TRIGGERING_ACTOR) approved it.',
    { default: 'true' },
  ),
  'record-approvals': input.boolean(
    "Read this run's review history and record who approved the environment, with what comment (output `approvals`); fail when nobody approved it, or an approval names no user. When false, the gate proves approval is required, not that anyone approved.",
    { default: 'false' },
  ),
  'min-approvals': input.integer(1, 10)(
    'The fewest distinct people who must have approved this run (of `environment` and `approval-environments`), none of them the person who started the run or triggered this attempt: 2 is a two-person rule. GitHub asks only one reviewer per environment, so a second approval comes from a second environment (see `approval-environments`). Needs `record-approvals`.',
    { default: '1' },
  ),
  'approval-environments': input.custom('list', `${ENVIRONMENT_FORM}, one per line`, (raw) => {
    const names = parseList(raw).map(parseEnvironmentName)
    if (names.length === 0) throw new InputFormError(raw, ENVIRONMENT_FORM)
    return [...new Set(names)]
  })(
    'Further environments whose approvals count towards `min-approvals` and `incident-commander`, such as `production-second-approval`: each must exist with required reviewers of its own, and a job of the run must wait for it.',
  ),
  'incident-commander': input.custom(
    'string',
    PEOPLE_FORM,
    parsePerson,
  )(
    "The login or `org/team-slug` team that must be among the approvers of this run (the runbooks' sole GO/NO-GO decider). A team needs a token that may read the organization's members. Needs `record-approvals`.",
  ),
  'approval-round': input.integer(1, 100)(
    "Which wait for the environment's reviewers this job follows: 1 for the GO, 2 for the next job of the run that waits for them again (the first canary step of `approve-steps`), and so on. The run must hold at least that many approvals of `environment`. Needs `record-approvals`.",
    { default: '1' },
  ),
}

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const approvalGuardAction = {
  title: 'Approvals',
  description:
    'Check that the target environment really requires reviewers (and forbids self-review), and record who approved the cutover run.',
  branding: { icon: 'user-check', color: 'green' },
  example: {
    environment: 'production',
    'min-reviewers': '1',
    'prevent-self-review': 'true',
    'record-approvals': 'true',
  },
} satisfies ActionMeta
