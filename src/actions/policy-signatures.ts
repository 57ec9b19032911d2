import { policySignatures } from '../gates/policy-signatures.js'
import { runGateAction } from './runner.js'

await runGateAction(policySignatures)
