import { expect, it } from 'vitest'
import { makeRedactor } from '../../src/core/redact.js'

it('masks secrets everywhere in a value, in plain, URL-encoded and JSON-escaped forms', () => {
  const redact = makeRedactor(['s3cr3t/val"ue', 'tok'])
  const out = redact({ a: 'x s3cr3t/val"ue y', b: ['s3cr3t%2Fval%22ue'], c: { [`k-tok`]: 'tok' }, n: 1 })
  expect(JSON.stringify(out)).not.toMatch(/s3cr3t|tok/)
  expect(out.n).toBe(1)
})

it('leaves values alone when there is nothing to mask', () => {
  const v = { a: 'b' }
  expect(makeRedactor([])(v)).toBe(v)
})
