import { normalizeWebUrl } from '@portal/shared'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkContent } from '../../src/sandbox/messages/content'

const card = (url: string) => checkContent({ msgtype: 'textcard', textcard: { title: 't', description: 'd', url } })

describe('normalizeWebUrl', () => {
  it.each([
    ['https://oa.example.com/a b', 'https://oa.example.com/a%20b'],
    [' https://oa.example.com/x ', 'https://oa.example.com/x'],
    ['https://oa.example.com/x">', 'https://oa.example.com/x%22%3E'],
    ['https://oa.example.com/?q=<b>&r={1}|^`', 'https://oa.example.com/?q=%3Cb%3E&r=%7B1%7D%7C%5E%60'],
    ['https://oa.example.com/?p=100%&q=%41', 'https://oa.example.com/?p=100%25&q=%41'],
    ['https://oa.example.com/待办?x=值#节', 'https://oa.example.com/%E5%BE%85%E5%8A%9E?x=%E5%80%BC#%E8%8A%82'],
    ['HTTPS://OA.Example.COM:443/a', 'https://oa.example.com/a'],
    ['https://例子.测试/', 'https://xn--fsqu00a.xn--0zwm56d/'],
  ])('makes %j sendable: %j', (input, expected) => {
    expect(normalizeWebUrl(input)).toEqual({ ok: true, url: expected })
    expect(card(expected).ok).toBe(true)
  })

  it.each([
    ['a tab', 'https://oa.example.com/a\tb', /control/],
    ['a newline', 'https://oa.example.com/\r\nx', /control/],
    ['NUL', 'https://oa.example.com/\u0000', /control/],
    ['a C1 control', 'https://oa.example.com/\u0085', /control/],
    ['another scheme', 'javascript:alert(1)', /http\(s\)/],
    ['no scheme', 'oa.example.com/x', /http\(s\)/],
    ['no host', 'https://', /http\(s\)/],
    ['credentials', 'https://oa.example.com@evil.example/', /user name/],
    ['too long once encoded', `https://oa.example.com/${'界'.repeat(300)}`, /2048/],
  ])('refuses %s', (_label, input, problem) => {
    const r = normalizeWebUrl(input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problem).toMatch(problem)
  })

  it('whatever it accepts, WeCom (the sandbox) takes without 45034, points at the same place, and is already normal (property)', () => {
    const unit = fc.oneof(
      fc.constantFrom(' ', '"', '<', '>', '|', '^', '{', '}', '`', '\\', '%', '%2', '%41', '#', '?', '&', '=', '/', '..', '@', ':', '[', ']', "'"),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
      fc.string({ unit: 'binary', maxLength: 3 }),
    )
    const tail = fc.array(unit, { maxLength: 20 }).map((a) => a.join(''))
    const input = fc.tuple(fc.constantFrom('https://oa.example.com/', 'http://10.0.0.1:8080/', ' https://a.example', 'HTTP://A.EXAMPLE/'), tail).map(([a, b]) => a + b)
    fc.assert(
      fc.property(input, (raw) => {
        const r = normalizeWebUrl(raw)
        if (!r.ok) return
        expect(card(r.url)).toMatchObject({ ok: true })
        expect(new URL(r.url).origin).toBe(new URL(raw.trim()).origin)
        expect(normalizeWebUrl(r.url)).toEqual(r)
      }),
      { seed: 20261202, numRuns: 3000 },
    )
  })
})
