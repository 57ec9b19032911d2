import { decide } from '../gates/decide/index.js'
import { runGateAction } from './runner.js'

await runGateAction(decide)
