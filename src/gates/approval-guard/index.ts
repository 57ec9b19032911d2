/** The approval-guard gate: what actions, the checklist and the CLI import of this folder. */
export { approvalGuard } from './gate.js'
