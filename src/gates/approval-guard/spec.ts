/** The inputs of approval-guard, each with its description, default and form. */
import { input } from '../../core/inputs.js'
import { InputFormError } from '../../core/units.js'

// ---------------------------------------------------------------------------------------------
// Inputs

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
    'The fewest required reviewers the environment must list (users or teams; a team counts as one, as any one of its members may approve).',
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
}
