import { notify } from '../gates/notify.js'
import { runGateAction } from './runner.js'

await runGateAction(notify)
