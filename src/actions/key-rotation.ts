import { keyRotation } from '../gates/key-rotation.js'
import { runGateAction } from './runner.js'

await runGateAction(keyRotation)
