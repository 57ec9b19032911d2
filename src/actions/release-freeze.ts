import { releaseFreeze } from '../gates/release-freeze/index.js'
import { runGateAction } from './runner.js'

await runGateAction(releaseFreeze)
