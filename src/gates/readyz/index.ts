/** The readyz gate: what actions, the checklist and the CLI import of this folder. */
export { readyz } from './gate.js'
