import { windowGate } from '../gates/window/gate.js'
import { runGateAction } from './runner.js'

await runGateAction(windowGate)
