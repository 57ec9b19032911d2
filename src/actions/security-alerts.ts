import { securityAlerts } from '../gates/security-alerts/index.js'
import { runGateAction } from './runner.js'

await runGateAction(securityAlerts)
