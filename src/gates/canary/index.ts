/** The canary gate: what actions, the checklist and the CLI import of this folder. */
export { canary } from './gate.js'
