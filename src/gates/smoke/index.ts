/** The smoke gate: what actions, the checklist and the CLI import of this folder. */
export { smoke } from './gate.js'
