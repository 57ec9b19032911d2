/** The sql gate: what actions, the checklist and the CLI import of this folder. */
export { sql } from './gate.js'
