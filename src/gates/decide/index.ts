/** The decide gate: what actions, the checklist and the CLI import of this folder. */
export { decide } from './gate.js'
