import { describe, expect, it } from 'vitest'
import { defaultContext, defineGate, runGate } from '../../src/core/gate.js'
import { input } from '../../src/core/inputs.js'
import { MASK, makeRedactor } from '../../src/core/redact.js'
import { check } from '../../src/core/result.js'

const TOKEN = 'tKn4vR8sW2yN6pQ0zX3c'
const PASSWORD = 'Pw7qR2x9#Zk/9?Lx@Mn4Vb8Tq'

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

describe('a secret is masked in the forms a server echoes it in', () => {
  const redact = makeRedactor([TOKEN, PASSWORD])
  it.each([
    ['upper case (a header a proxy upper-cased)', `got X-API-KEY: ${TOKEN.toUpperCase()}`],
    ['lower case', `got ${TOKEN.toLowerCase()}`],
    ['percent-encoded with lower-case hex', `pw=${encodeURIComponent(PASSWORD).toLowerCase()}`],
    ['percent-encoded in part (the WHATWG user-info set)', `https://u:${PASSWORD.replace('#', '%23').replace('?', '%3F')}@h`],
    ['percent-encoded twice', `next=${encodeURIComponent(encodeURIComponent(PASSWORD))}`],
    ['JSON with escaped slashes', `{"pw":"${PASSWORD.replace(/\//g, '\\/')}"}`],
    ['split across a line break', `token ${TOKEN.slice(0, 9)}\n  ${TOKEN.slice(9)}`],
    ['split across a JSON-escaped line break', `"token ${TOKEN.slice(0, 9)}\\n${TOKEN.slice(9)}"`],
    ['a line break collapsed into a space by a snippet', `token ${TOKEN.slice(0, 9)} ${TOKEN.slice(9)}`],
    ['HTML-escaped', '<p>a&amp;b&lt;c&gt;d</p>'],
    ['base64 (Basic credentials)', `Authorization: Basic ${Buffer.from(TOKEN).toString('base64')}`],
    ['URL-safe base64', Buffer.from(PASSWORD).toString('base64url')],
  ])('%s', (_what, text) => {
    const r = makeRedactor([TOKEN, PASSWORD, 'a&b<c>d'])
    const out = r(text)
    expect(out).toContain(MASK)
    for (const piece of [TOKEN.slice(0, 9), TOKEN.slice(9), 'Pw7qR2x9', 'Mn4Vb8Tq', 'a&b', 'a&amp;b']) expect(out).not.toContain(piece)
    expect(out.toLowerCase()).not.toContain(TOKEN.toLowerCase().slice(0, 9))
  })

  it('a snippet cut inside a secret loses the piece too, on either side of the ellipsis', () => {
    expect(redact(`invalid token ${TOKEN.slice(0, 11)}… (truncated)`)).toBe(`invalid token ${MASK}… (truncated)`)
    expect(redact(`...${TOKEN.slice(7)} was refused`)).toBe(`...${MASK} was refused`)
    const basic = Buffer.from(`user:${PASSWORD}`).toString('base64')
    expect(makeRedactor([`user:${PASSWORD}`])(`FATAL (${basic.slice(0, 20)}…`)).toBe(`FATAL (${MASK}…`)
  })

  it('does not garble a sentence that merely has an ellipsis or PEM armor next to one', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n-----END PRIVATE KEY-----'
    const r = makeRedactor([pem, TOKEN])
    const sentence = 'give the whole PEM block, from its -----BEGIN ...----- line to its -----END ...----- line; wait…'
    expect(r(sentence)).toBe(sentence)
  })

  it('masks a secret that contains another whole', () => {
    expect(makeRedactor(['abc123', 'xxabc123yy'])('a xxabc123yy b')).toBe(`a ${MASK} b`)
  })

  it('secrets shorter than 3 characters are not masked as substrings (they would garble every report)', () => {
    const r = makeRedactor(['1', 'ab', 'k=ab'])
    expect(r('1 of 1 checks passed; about')).toBe('1 of 1 checks passed; about')
    expect(r('?k=ab&v=1')).toBe(`?${MASK}&v=1`)
  })

  it('masks the last of 200 secrets at the end of 280 KB of text', () => {
    const secrets = Array.from({ length: 200 }, (_, i) => `secret-${i}-${TOKEN}`)
    const r = makeRedactor(secrets)
    const text = 'lorem ipsum dolor sit amet, '.repeat(10_000) + secrets[199]
    expect(r(text).endsWith(MASK)).toBe(true)
  })
})

describe('runGate applies the one redactor, whoever runs the gate', () => {
  // A careless gate: it logs, reports and throws its secret input verbatim, and masks nothing itself.
  const careless = defineGate({
    name: 'careless',
    category: 'Test',
    criteria: { en: 'x', tr: 'x' },
    inputs: { key: input.string('a key', { secret: true }), fail: input.boolean('throw', { default: 'false' }) },
    async run(s, ctx) {
      ctx.log(`using ${s.key} (${s.key?.toUpperCase()})`)
      if (s.fail) throw new Error(`the server refused ${encodeURIComponent(s.key ?? '')}`)
      return { checks: [check('fail', s.key ?? '-', `saw ${s.key}`, 'x', `refused ${s.key}`)], outputs: { echo: s.key ?? '' } }
    },
  })

  it.each([
    ['a result', 'false'],
    ['a thrown error', 'true'],
  ])('in the log lines and in %s', async (_what, fail) => {
    const lines: string[] = []
    const r = await runGate(careless, { key: PASSWORD, fail }, defaultContext({ log: (l) => lines.push(l) }), { id: 'c' })
    const everything = JSON.stringify({ r, lines })
    expect(everything).not.toContain('Pw7qR2x9')
    expect(everything.toLowerCase()).not.toContain('pw7qr2x9')
    expect(everything).toContain(MASK)
    expect(lines).toEqual([`using ${MASK} (${MASK})`])
  })
})
