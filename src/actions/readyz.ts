import { readyz } from '../gates/readyz/index.js'
import { runGateAction } from './runner.js'

await runGateAction(readyz)
