import { canary } from '../gates/canary.js'
import { runGateAction } from './runner.js'

await runGateAction(canary)
