import { securityAlerts } from '../gates/security-alerts/gate.js'
import { runGateAction } from './runner.js'

await runGateAction(securityAlerts)
