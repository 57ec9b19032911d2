/** The security-alerts gate: what actions, the checklist and the CLI import of this folder. */
export { securityAlerts } from './gate.js'
