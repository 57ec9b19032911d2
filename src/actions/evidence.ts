import { evidence } from '../gates/evidence/index.js'
import { runGateAction } from './runner.js'

await runGateAction(evidence)
