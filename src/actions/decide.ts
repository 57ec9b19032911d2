import { decide } from '../gates/decide.js'
import { runGateAction } from './runner.js'

await runGateAction(decide)
