import { keyRotation } from '../gates/key-rotation/index.js'
import { runGateAction } from './runner.js'

await runGateAction(keyRotation)
