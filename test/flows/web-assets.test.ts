import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'

describe('the H5 as a phone downloads it', () => {
  let stack: Stack
  let html: string
  beforeAll(async () => {
    stack = await startStack()
    html = await (await fetch(`${stack.appUrl}/login`, { headers: { 'user-agent': UA.browser } })).text()
  })
  afterAll(() => stack.close())

  const entryScript = () => /<script type="module" crossorigin src="([^"]+)"/.exec(html)![1]!

  it('paints a loading indicator with the HTML, before any script runs', () => {
    const app = html.slice(html.indexOf('<div id="app">'), html.indexOf('</body>'))
    expect(app).toContain('class="portal-boot"')
    expect(app).toContain('<svg')
  })

  for (const encoding of ['br', 'gzip'] as const) {
    it(`sends scripts and styles ${encoding}-compressed to a browser that accepts it, byte-identical once decoded`, async () => {
      const url = `${stack.appUrl}${entryScript()}`
      const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } })
      expect(plain.headers.get('content-encoding')).toBeNull()
      const packed = await fetch(url, { headers: { 'accept-encoding': encoding } })
      expect(packed.headers.get('content-encoding')).toBe(encoding)
      expect(packed.headers.get('vary')).toMatch(/accept-encoding/i)
      expect(packed.headers.get('content-type')).toMatch(/javascript/)
      expect(packed.headers.get('cache-control')).toContain('immutable')
      expect(Number(packed.headers.get('content-length'))).toBeLessThan(Number(plain.headers.get('content-length')) / 2)
      expect(Buffer.from(await packed.arrayBuffer()).equals(Buffer.from(await plain.arrayBuffer()))).toBe(true)
    })
  }
})
