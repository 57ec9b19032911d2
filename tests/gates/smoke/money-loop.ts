// The seeds' canary money loop as smoke steps against the demo's payments API (examples/demo/bank.mjs):
// deposit -> withdraw request -> admin approve -> mark paid -> ledger settled, held back to 0 and
// available reduced by the withdrawal.
import { DEMO_CREDENTIALS as C } from '../../../examples/demo/bank.mjs'

export function moneyLoop(base: string) {
  const user = { Authorization: `Bearer ${C.userToken}` }
  const admin = { 'X-Admin-Key': C.adminKey }
  return [
    {
      name: 'deposit',
      method: 'POST',
      url: `${base}/api/v1/wallet/deposits`,
      headers: user,
      body: { amount: 10, currency: 'USD' },
      'expect-status': 201,
      expect: ['status=completed', 'balance.available=10'],
      capture: { tx: 'id' },
    },
    {
      name: 'withdraw request',
      method: 'POST',
      url: `${base}/api/v1/wallet/withdrawals`,
      headers: user,
      body: { amount: 10 },
      'expect-status': 201,
      expect: ['status=requested', 'balance.held=10'],
      capture: { wid: 'id', available_after: 'balance.available' },
    },
    {
      name: 'admin approve',
      method: 'POST',
      url: `${base}/api/v1/admin/withdrawals/{{wid}}/approve`,
      headers: admin,
      expect: 'status=approved',
    },
    {
      name: 'mark paid',
      method: 'POST',
      url: `${base}/api/v1/admin/withdrawals/{{wid}}/mark-paid`,
      headers: admin,
      expect: 'status=paid',
      capture: { ledger: 'ledger_ref' },
    },
    {
      name: 'ledger settled',
      url: `${base}/api/v1/ledger/withdrawals/{{wid}}`,
      headers: user,
      expect: ['status=settled', 'ledger_ref={{ledger}}', 'balance.held=0', 'balance.available={{available_after}}'],
    },
  ]
}
