import { smoke } from '../gates/smoke/index.js'
import { runGateAction } from './runner.js'

await runGateAction(smoke)
