import { evidence } from '../gates/evidence.js'
import { runGateAction } from './runner.js'

await runGateAction(evidence)
