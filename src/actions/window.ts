import { windowGate } from '../gates/window/index.js'
import { runGateAction } from './runner.js'

await runGateAction(windowGate)
