/** Every gate by the name `uses:` gives it. A new gate is one folder and one line here. */
import type { Registry } from '../core/checklist.js'
import { approvalGuard } from './approval-guard/index.js'
import { canary } from './canary/index.js'
import { command } from './command/index.js'
import { decide } from './decide/index.js'
import { drDrill } from './dr-drill/index.js'
import { evidence } from './evidence/index.js'
import { keyRotation } from './key-rotation/index.js'
import { notify } from './notify/index.js'
import { policySignatures } from './policy-signatures/index.js'
import { readyz } from './readyz/index.js'
import { releaseFreeze } from './release-freeze/index.js'
import { securityAlerts } from './security-alerts/index.js'
import { smoke } from './smoke/index.js'
import { sql } from './sql/index.js'
import { windowGate } from './window/index.js'

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
