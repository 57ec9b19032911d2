import { decide } from '../gates/decide/index.js'
// decide names the gates whose reports it reads: it alone of the gate actions needs the registry.
import { gates } from '../gates/index.js'
import { runGateAction } from './runner.js'

await runGateAction(decide, gates)
