/** The dr-drill gate: what actions, the checklist and the CLI import of this folder. */
export { drDrill } from './gate.js'
