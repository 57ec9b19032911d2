import { releaseFreeze } from '../gates/release-freeze/gate.js'
import { runGateAction } from './runner.js'

await runGateAction(releaseFreeze)
