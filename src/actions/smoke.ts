import { smoke } from '../gates/smoke/gate.js'
import { runGateAction } from './runner.js'

await runGateAction(smoke)
