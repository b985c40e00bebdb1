import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeReturnTo } from '../src/return-to'

describe('safeReturnTo', () => {
  it.each([
    ['https://evil.example/x'],
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['javascript:alert(1)'],
    ['/a\u0000b'],
    ['/a\nb'],
    ['evil'],
    [''],
    [undefined],
    [42],
    ['/' + 'a'.repeat(3000)],
    // Safe-looking inputs that normalize to a protocol-relative URL.
    ['/.//evil.example'],
    ['/a/..//evil.example'],
    ['/%2e//evil.example'],
    ['/././/evil.example/x?y#z'],
  ])('rejects %j', (v) => {
    expect(safeReturnTo(v)).toBe('/')
  })

  it('keeps same-origin paths with query and hash, dropping OAuth leftovers', () => {
    expect(safeReturnTo('/some/page?x=1')).toBe('/some/page?x=1')
    expect(safeReturnTo('/todos?code=abc&state=s&tab=done#top')).toBe('/todos?tab=done#top')
    expect(safeReturnTo('/%E5%BE%85%E5%8A%9E')).toBe('/%E5%BE%85%E5%8A%9E')
  })

  it('returns only paths that stay on this origin, whatever the input (property)', () => {
    const base = 'http://app.invalid/portal/'
    // Path-ish strings built from the pieces that make normalization tricky.
    const piece = fc.constantFrom('/', '.', '..', '%2e', '%2E', '%2f', '\\', '?', '#', '@', ':', 'evil.example', 'a', '%00', '\t', ' ', '%5c', 'code=1', '&')
    const pathish = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''))
    fc.assert(
      fc.property(fc.oneof(pathish, pathish.map((p) => `/${p}`), fc.string({ unit: 'binary', maxLength: 40 })), (input) => {
        const out = safeReturnTo(input)
        expect(out.startsWith('/') && !out.startsWith('//') && !out.includes('\\')).toBe(true)
        // Resolved against the app, under its path prefix or at the root, it stays on the app's origin.
        expect(new URL(`/portal${out}`, base).origin).toBe('http://app.invalid')
        expect(new URL(out, base).origin).toBe('http://app.invalid')
        // And it is already in its final form.
        expect(safeReturnTo(out)).toBe(out)
      }),
      { seed: 20260210, numRuns: 5000 },
    )
    // 5,000 fixed cases take well under a second alone, many seconds beside the other suites.
  }, 60_000)
})
