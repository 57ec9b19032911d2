import { notify } from '../gates/notify/index.js'
import { runGateAction } from './runner.js'

await runGateAction(notify)
