/** The policy-signatures gate: what actions, the checklist and the CLI import of this folder. */
export { policySignatures } from './gate.js'
