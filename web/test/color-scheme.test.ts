import { describe, expect, it } from 'vitest'
import html from '../index.html?raw'
import { applyColorScheme, decideColorScheme, DARK_CLASS, followColorScheme, THEME_COLOR, type ColorScheme } from '../src/lib/color-scheme'

const wecom = (scheme: string) => `Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/${scheme}`
const desktopWecom = 'Mozilla/5.0 (Windows NT 10.0; WOW64) Chrome/107.0.5304.110 Safari/537.36 Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat'
const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const userAgents = [wecom('Dark'), wecom('Light'), wecom('dark'), desktopWecom, chrome, `${chrome} ColorScheme/Dark`, '']

/** A matchMedia whose answer the test changes, as the system setting would. */
function fakeMedia(initial: boolean) {
  const listeners = new Set<(e: { matches: boolean }) => void>()
  const media = {
    matches: initial,
    addEventListener: (_: string, f: (e: { matches: boolean }) => void) => listeners.add(f),
    removeEventListener: (_: string, f: (e: { matches: boolean }) => void) => listeners.delete(f),
  }
  return {
    media,
    listeners,
    flip(matches: boolean) {
      media.matches = matches
      for (const f of listeners) f({ matches })
    },
  }
}

function freshDocument(): Document {
  const doc = document.implementation.createHTMLDocument('t')
  const meta = doc.createElement('meta')
  meta.setAttribute('name', 'theme-color')
  meta.setAttribute('content', THEME_COLOR.light)
  doc.head.append(meta)
  return doc
}

const schemeOf = (doc: Document): ColorScheme => (doc.documentElement.classList.contains(DARK_CLASS) ? 'dark' : 'light')

describe('which theme the portal paints', () => {
  it('the WeCom client\'s stated theme wins over the system\'s; a browser\'s "ColorScheme/" is ignored', () => {
    expect(decideColorScheme(wecom('Dark'), false)).toBe('dark')
    expect(decideColorScheme(wecom('Light'), true)).toBe('light')
    expect(decideColorScheme(`${chrome} ColorScheme/Dark`, false)).toBe('light')
  })

  it('follows prefers-color-scheme when the client says nothing (desktop WeCom, browsers)', () => {
    expect(decideColorScheme(desktopWecom, true)).toBe('dark')
    expect(decideColorScheme(chrome, true)).toBe('dark')
    expect(decideColorScheme(chrome, false)).toBe('light')
    expect(decideColorScheme(undefined, false)).toBe('light')
  })

  it('index.html decides before the first paint exactly as the app does afterwards', () => {
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
    expect(inline).toHaveLength(1)
    for (const ua of userAgents) {
      for (const prefersDark of [false, true]) {
        const doc = freshDocument()
        const matchMedia = () => ({ matches: prefersDark })
        new Function('document', 'navigator', 'window', 'matchMedia', inline[0]!)(doc, { userAgent: ua }, { matchMedia }, matchMedia)
        const expected = decideColorScheme(ua, prefersDark)
        expect(schemeOf(doc), `${ua} / prefers dark: ${prefersDark}`).toBe(expected)
        expect(doc.querySelector('meta[name="theme-color"]')!.getAttribute('content')).toBe(THEME_COLOR[expected])
      }
    }
  })

  it('applyColorScheme switches Vant\'s dark class and the browser chrome colour both ways', () => {
    const doc = freshDocument()
    applyColorScheme(doc, 'dark')
    expect(schemeOf(doc)).toBe('dark')
    expect(doc.querySelector('meta[name="theme-color"]')!.getAttribute('content')).toBe(THEME_COLOR.dark)
    applyColorScheme(doc, 'light')
    expect(schemeOf(doc)).toBe('light')
    expect(doc.querySelector('meta[name="theme-color"]')!.getAttribute('content')).toBe(THEME_COLOR.light)
  })
})

describe('followColorScheme while the page is open', () => {
  const windowWith = (ua: string, media: ReturnType<typeof fakeMedia>, doc: Document) =>
    ({ navigator: { userAgent: ua }, document: doc, matchMedia: () => media.media }) as unknown as Window

  it('in WeCom with a stated theme: keeps it when the system setting changes, and listens to nothing', () => {
    const media = fakeMedia(false)
    const doc = freshDocument()
    const stop = followColorScheme(windowWith(wecom('Dark'), media, doc))
    expect(schemeOf(doc)).toBe('dark')
    expect(media.listeners.size).toBe(0)
    media.flip(false)
    expect(schemeOf(doc)).toBe('dark')
    stop()
  })

  it('elsewhere: switches when the system does, and stops listening when stopped', () => {
    const media = fakeMedia(false)
    const doc = freshDocument()
    const stop = followColorScheme(windowWith(chrome, media, doc))
    expect(schemeOf(doc)).toBe('light')
    media.flip(true)
    expect(schemeOf(doc)).toBe('dark')
    media.flip(false)
    expect(schemeOf(doc)).toBe('light')
    stop()
    expect(media.listeners.size).toBe(0)
    media.flip(true)
    expect(schemeOf(doc)).toBe('light')
  })
})
