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
  ])('rejects %j', (v) => {
    expect(safeReturnTo(v)).toBe('/')
  })

  it('keeps same-origin paths with query and hash, dropping OAuth leftovers', () => {
    expect(safeReturnTo('/some/page?x=1')).toBe('/some/page?x=1')
    expect(safeReturnTo('/todos?code=abc&state=s&tab=done#top')).toBe('/todos?tab=done#top')
    expect(safeReturnTo('/%E5%BE%85%E5%8A%9E')).toBe('/%E5%BE%85%E5%8A%9E')
  })
})
