import { approvalGuard } from '../gates/approval-guard/index.js'
import { runGateAction } from './runner.js'

await runGateAction(approvalGuard)
