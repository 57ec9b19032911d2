/** The release-freeze gate: what actions, the checklist and the CLI import of this folder. */
export { releaseFreeze } from './gate.js'
