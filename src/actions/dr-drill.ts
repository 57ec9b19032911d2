import { drDrill } from '../gates/dr-drill.js'
import { runGateAction } from './runner.js'

await runGateAction(drDrill)
