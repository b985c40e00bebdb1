import { wecomColorScheme } from '@portal/shared'

export type ColorScheme = 'light' | 'dark'

/** Vant's dark theme class (what ConfigProvider theme="dark" puts on <html>); base.css keys on it too. */
export const DARK_CLASS = 'van-theme-dark'
/** The page background of each theme, for the browser's own chrome (<meta name="theme-color">). */
export const THEME_COLOR: Record<ColorScheme, string> = { light: '#f4f6f9', dark: '#0f1114' }
const DARK_QUERY = '(prefers-color-scheme: dark)'

/**
 * The WeCom client's theme (its UA says ColorScheme/Dark or /Light) wins: its web view does not
 * always pass the client's setting on as prefers-color-scheme. Elsewhere, the browser's.
 * index.html's inline script makes the same choice before the first paint (web/test checks the two agree).
 */
export function decideColorScheme(userAgent: string | undefined, prefersDark: boolean): ColorScheme {
  return wecomColorScheme(userAgent) ?? (prefersDark ? 'dark' : 'light')
}

export function applyColorScheme(doc: Document, scheme: ColorScheme): void {
  doc.documentElement.classList.toggle(DARK_CLASS, scheme === 'dark')
  doc.querySelector('meta[name="theme-color"]')?.setAttribute('content', THEME_COLOR[scheme])
}

/**
 * Applies the theme and, unless the WeCom client fixed it, follows the system's setting when it
 * changes while the page is open. Returns the stop function.
 */
export function followColorScheme(win: Window = window): () => void {
  const ua = win.navigator.userAgent
  const media = win.matchMedia?.(DARK_QUERY)
  applyColorScheme(win.document, decideColorScheme(ua, !!media?.matches))
  if (!media || wecomColorScheme(ua)) return () => {}
  const onChange = (e: MediaQueryListEvent) => applyColorScheme(win.document, e.matches ? 'dark' : 'light')
  media.addEventListener('change', onChange)
  return () => media.removeEventListener('change', onChange)
}
