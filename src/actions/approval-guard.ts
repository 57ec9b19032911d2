import { approvalGuard } from '../gates/approval-guard.js'
import { runGateAction } from './runner.js'

await runGateAction(approvalGuard)
