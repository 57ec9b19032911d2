// Types for bank.mjs, so the TypeScript tests can drive the same fake payments API as the demo.
import type { IncomingMessage, ServerResponse } from 'node:http'

export declare const DEMO_CREDENTIALS: { userToken: string; adminKey: string; apiKey: string; session: string }

export interface BankOptions extends Partial<typeof DEMO_CREDENTIALS> {
  /** Routes (`deposit`, `withdraw`, `approve`, `mark-paid`, `ledger`) answered with this status instead. */
  fail?: Record<string, number>
  /** Forget to release the held amount when a withdrawal is paid. */
  keepHeld?: boolean
}

export interface Bank {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>
  state: { available: number; held: number; requests: string[] }
  credentials: typeof DEMO_CREDENTIALS
}

export declare function createBank(options?: BankOptions): Bank
