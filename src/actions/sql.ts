import { sql } from '../gates/sql/index.js'
import { runGateAction } from './runner.js'

await runGateAction(sql)
