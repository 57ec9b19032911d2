import { command } from '../gates/command/gate.js'
import { runGateAction } from './runner.js'

await runGateAction(command)
