/** The evidence gate: what actions, the checklist and the CLI import of this folder. */
export { evidence } from './gate.js'
