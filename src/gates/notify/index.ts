/** The notify gate: what actions, the checklist and the CLI import of this folder. */
export { notify } from './gate.js'
