/** The key-rotation gate: what actions, the checklist and the CLI import of this folder. */
export { keyRotation } from './gate.js'
