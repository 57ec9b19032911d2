// A tiny in-memory payments API for the demo and the smoke gate's tests: the seeds' canary money
// loop (deposit -> withdraw request -> admin approve -> mark paid -> ledger settlement) and their
// auth separation (a platform endpoint takes only a session cookie, a pack endpoint only an API key).
//
// Faults can be planted to show what the gate does with them: `fail: { 'mark-paid': 500 }` answers
// that route with the status, `keepHeld: true` forgets to release the held amount when a
// withdrawal is paid (a ledger invariant breach: `held` does not go back to 0).

export const DEMO_CREDENTIALS = {
  userToken: 'demo-user-token-7f3a',
  adminKey: 'demo-admin-key-91c2',
  apiKey: 'demo-pack-api-key-55d0',
  session: 'demo-session-3b8e',
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

async function readJson(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return {}
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function cookie(req, name) {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

export function createBank(options = {}) {
  const cfg = { ...DEMO_CREDENTIALS, fail: {}, keepHeld: false, ...options }
  const state = { available: 0, held: 0, seq: 0, withdrawals: new Map(), ledger: [], requests: [] }
  const balance = () => ({ available: state.available, held: state.held, currency: 'USD' })
  const id = (prefix) => `${prefix}_${++state.seq}`

  /** Handles /api/v1/*; returns false for any other path. */
  async function handle(req, res) {
    const url = new URL(req.url, 'http://bank')
    const path = url.pathname
    if (!path.startsWith('/api/v1/')) return false
    state.requests.push(`${req.method} ${path}`)
    const route = routeName(req.method, path)
    const reply = (status, body) => {
      send(res, status, body)
      return true
    }
    if (route && cfg.fail[route]) return reply(cfg.fail[route], { error: 'internal_error', route })
    const user = req.headers.authorization === `Bearer ${cfg.userToken}`
    const admin = req.headers['x-admin-key'] === cfg.adminKey

    // Auth separation: platform endpoints are for people (session cookie), pack endpoints for machines (API key).
    if (path === '/api/v1/platform/tenants' && req.method === 'GET') {
      if (req.headers['x-api-key'] !== undefined) return reply(401, { error: 'wrong_auth_method', accepted: 'session cookie' })
      if (cookie(req, 'session') !== cfg.session) return reply(401, { error: 'missing_session' })
      return reply(200, { tenants: [{ id: 'wien_pilot' }] })
    }
    if (path === '/api/v1/routing/status' && req.method === 'GET') {
      if (req.headers['x-api-key'] !== cfg.apiKey) return reply(401, { error: 'missing_api_key' })
      return reply(200, { status: 'ok' })
    }

    if (path.startsWith('/api/v1/wallet/') || path.startsWith('/api/v1/ledger/')) {
      if (!user) return reply(401, { error: 'unauthorized' })
    } else if (path.startsWith('/api/v1/admin/')) {
      if (!admin) return reply(403, { error: 'admin_only' })
    }

    if (route === 'deposit') {
      const body = await readJson(req)
      const amount = Number(body?.amount)
      if (!Number.isFinite(amount) || amount <= 0) return reply(422, { error: 'invalid_amount' })
      state.available += amount
      const tx = { id: id('dep'), type: 'deposit', amount, status: 'completed' }
      state.ledger.push(tx)
      return reply(201, { ...tx, balance: balance() })
    }
    if (route === 'withdraw') {
      const body = await readJson(req)
      const amount = Number(body?.amount)
      if (!Number.isFinite(amount) || amount <= 0) return reply(422, { error: 'invalid_amount' })
      if (amount > state.available) return reply(422, { error: 'insufficient_funds', balance: balance() })
      state.available -= amount
      state.held += amount
      const w = { id: id('wd'), amount, status: 'requested' }
      state.withdrawals.set(w.id, w)
      return reply(201, { ...w, balance: balance() })
    }
    const m = /^\/api\/v1\/admin\/withdrawals\/([^/]+)\/(approve|mark-paid)$/.exec(path)
    if (m && req.method === 'POST') {
      const w = state.withdrawals.get(decodeURIComponent(m[1]))
      if (!w) return reply(404, { error: 'no_such_withdrawal' })
      if (m[2] === 'approve') {
        if (w.status !== 'requested') return reply(409, { error: `withdrawal is ${w.status}` })
        w.status = 'approved'
        w.approved_at = new Date().toISOString()
        return reply(200, w)
      }
      if (w.status !== 'approved') return reply(409, { error: `withdrawal is ${w.status}, not approved` })
      w.status = 'paid'
      w.paid_at = new Date().toISOString()
      if (!cfg.keepHeld) state.held -= w.amount
      w.ledger_ref = id('led')
      state.ledger.push({ id: w.ledger_ref, type: 'payout', amount: w.amount, withdrawal: w.id })
      return reply(200, w)
    }
    const l = /^\/api\/v1\/ledger\/withdrawals\/([^/]+)$/.exec(path)
    if (l && req.method === 'GET') {
      const w = state.withdrawals.get(decodeURIComponent(l[1]))
      if (!w) return reply(404, { error: 'no_such_withdrawal' })
      const entry = state.ledger.find((e) => e.withdrawal === w.id)
      const settled = w.status === 'paid' && entry !== undefined && state.held === 0
      return reply(200, { withdrawal: w.id, status: settled ? 'settled' : 'open', ledger_ref: entry?.id ?? null, balance: balance() })
    }
    return reply(404, { error: 'not_found' })
  }

  return { handle, state, credentials: cfg }
}

function routeName(method, path) {
  if (method === 'POST' && path === '/api/v1/wallet/deposits') return 'deposit'
  if (method === 'POST' && path === '/api/v1/wallet/withdrawals') return 'withdraw'
  if (method === 'POST' && /\/approve$/.test(path)) return 'approve'
  if (method === 'POST' && /\/mark-paid$/.test(path)) return 'mark-paid'
  if (method === 'GET' && path.startsWith('/api/v1/ledger/')) return 'ledger'
  return undefined
}
