import { policySignatures } from '../gates/policy-signatures/index.js'
import { runGateAction } from './runner.js'

await runGateAction(policySignatures)
