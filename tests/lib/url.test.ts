import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeRedactor } from '../../src/core/redact.js'
import { displayUrl, hasUserinfo, hideCredentials, urlSecrets } from '../../src/lib/url.js'

describe('displayUrl', () => {
  it.each([
    ['https://api.example.com/readyz', 'https://api.example.com/readyz'],
    ['https://api.example.com/readyz?access_token=abc123&verbose', 'https://api.example.com/readyz?access_token=***&verbose'],
    ['https://api.example.com/readyz?verbose&exclude=etcd&empty=', 'https://api.example.com/readyz?verbose&exclude=***&empty='],
    ['https://admin:hunter22@db.example.com/readyz', 'https://***@db.example.com/readyz'],
    ['https://admin:Hunter2#Secret@db.example.com/readyz', 'https://***@db.example.com/readyz'],
    ['https://admin:Hunter2/Secret@db.example.com/readyz', 'https://***@db.example.com/readyz'],
    ['https://admin:Hunter2?Secret@db.example.com/readyz', 'https://***@db.example.com/readyz'],
    ['https://admin:Hunter2@Secret@db.example.com/readyz', 'https://***@db.example.com/readyz'],
    ['https://admin:12#Secret@db.example.com/readyz', 'https://***@db.example.com/readyz'],
    ['https://tok_abc#def@db.example.com:8443/readyz?x=1', 'https://***@db.example.com:8443/readyz?x=***'],
    ['https://api.example.com/readyz#access_token=abc', 'https://api.example.com/readyz#***'],
    ['HTTPS://API.example.com:443/a/../readyz', 'https://api.example.com/readyz'],
    ['https://exa mple.com/x?k=v', 'https://exa mple.com/x?k=***'],
  ])('%s → %s', (raw, shown) => {
    expect(displayUrl(raw)).toBe(shown)
  })

  it('shows nothing of text that is not a URL (it may be a secret pasted in the wrong place)', () => {
    expect(displayUrl('sk_live_51Habcdef')).toBe('(not a URL)')
  })

  it('finds user-info whatever the parser says', () => {
    expect(hasUserinfo('https://admin:Hunter2#Secret@db.example.com/readyz')).toBe(true)
    expect(hasUserinfo('https://tok@db.example.com')).toBe(true)
    expect(hasUserinfo('https://db.example.com/readyz?x=1')).toBe(false)
  })

  it('masks every URL inside free text', () => {
    expect(hideCredentials('GET https://u:p#w@h.example/x?t=secret1 failed')).toBe('GET https://***@h.example/x?t=*** failed')
  })
})

describe('urlSecrets', () => {
  it('holds the raw user-info, the password, its pieces, the Basic form and every query value', () => {
    const s = urlSecrets('https://admin:Hunter2#Secret@db.example.com/readyz?access_token=tok_123&x=ab')
    expect(s).toEqual(
      expect.arrayContaining([
        'admin:Hunter2#Secret',
        'Hunter2#Secret',
        'Hunter2',
        'Secret',
        Buffer.from('admin:Hunter2#Secret').toString('base64'),
        'tok_123',
      ]),
    )
    // Too short to mask without mangling ordinary text.
    expect(s).not.toContain('ab')
  })

  it('reads one URL per line', () => {
    const s = urlSecrets('https://a.example/x?k=first1\n\nhttps://b.example/y?k=second2')
    expect(s).toEqual(expect.arrayContaining(['first1', 'second2']))
  })
})

describe('no part of a password is ever shown', () => {
  const password = fc.string({ unit: fc.constantFrom(...'aZ9#/?@:%!$&*+=~'.split('')), minLength: 6, maxLength: 24 })
  const token = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~'.split('')), minLength: 6, maxLength: 24 })

  it('neither displayUrl nor the redactor lets the password or a query value through', () => {
    fc.assert(
      fc.property(password, token, (pw, tok) => {
        // Plant markers so "a part of the password" is something we can look for.
        const secret = `P${pw}W`
        const url = `https://admin:${secret}@db.example.com/readyz?access_token=${tok}`
        const shown = displayUrl(url)
        expect(shown).not.toContain(secret)
        expect(shown).not.toContain(tok)
        expect(shown.startsWith('https://***@db.example.com/readyz?access_token=***')).toBe(true)
        const redact = makeRedactor(urlSecrets(url))
        let href = url
        try {
          href = new URL(url).href
        } catch {
          // unparsable: the raw text is what could leak
        }
        for (const text of [url, href, `probing ${url} failed`]) {
          const out = redact(text)
          expect(out).not.toContain(secret)
          expect(out).not.toContain(tok)
        }
      }),
      { numRuns: 400 },
    )
  })
})
