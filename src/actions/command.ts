import { command } from '../gates/command/index.js'
import { runGateAction } from './runner.js'

await runGateAction(command)
