import { readyz } from '../gates/readyz.js'
import { runGateAction } from './runner.js'

await runGateAction(readyz)
