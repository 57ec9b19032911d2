/** The window gate: what actions, the checklist and the CLI import of this folder. */
export { windowGate } from './gate.js'
