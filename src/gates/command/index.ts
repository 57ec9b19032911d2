/** The command gate: what actions, the checklist and the CLI import of this folder. */
export { command } from './gate.js'
