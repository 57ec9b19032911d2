import { sql } from '../gates/sql/gate.js'
import { runGateAction } from './runner.js'

await runGateAction(sql)
