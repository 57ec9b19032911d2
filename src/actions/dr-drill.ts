import { drDrill } from '../gates/dr-drill/index.js'
import { runGateAction } from './runner.js'

await runGateAction(drDrill)
