/** Every gate by the name `uses:` gives it. A new gate is one file and one line here. */
import type { Registry } from '../core/checklist.js'
import { approvalGuard } from './approval-guard.js'
import { canary } from './canary.js'
import { command } from './command/gate.js'
import { decide } from './decide.js'
import { drDrill } from './dr-drill.js'
import { evidence } from './evidence.js'
import { keyRotation } from './key-rotation.js'
import { notify } from './notify.js'
import { policySignatures } from './policy-signatures.js'
import { readyz } from './readyz.js'
import { smoke } from './smoke/gate.js'
import { sql } from './sql/gate.js'
import { releaseFreeze } from './release-freeze/gate.js'
import { securityAlerts } from './security-alerts/gate.js'
import { windowGate } from './window/gate.js'

export const gates: Registry = {
  readyz,
  'key-rotation': keyRotation,
  canary,
  'approval-guard': approvalGuard,
  notify,
  'policy-signatures': policySignatures,
  decide,
  'dr-drill': drDrill,
  evidence,
  command,
  sql,
  smoke,
  window: windowGate,
  'release-freeze': releaseFreeze,
  'security-alerts': securityAlerts,
} as unknown as Registry
