/** Every gate by the name `uses:` gives it. A new gate is one file and one line here. */
import type { Registry } from '../core/checklist.js'
import { readyz } from './readyz.js'

export const gates: Registry = { readyz } as unknown as Registry
