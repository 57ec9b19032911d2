import { canary } from '../gates/canary/index.js'
import { runGateAction } from './runner.js'

await runGateAction(canary)
