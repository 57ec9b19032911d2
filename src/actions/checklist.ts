import { runChecklistAction } from './runner.js'

await runChecklistAction()
