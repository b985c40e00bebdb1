import type { Plugin } from 'vite'

const ICON_CSS = /[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/
const FONT_SRC = /src:url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\) format\("woff2"\)(?:,url\([^)]*\) format\("woff"\))?/
const FONT_DISPLAY = /font-display:auto/

/**
 * Vant inlines its icon font into the icon CSS as base64 (~30 KB gzip of render-blocking CSS on
 * the first member page). Emit it as a font file beside the CSS instead: CSS shrinks to a few
 * KB, the font downloads in parallel and is cached across deploys. The relative URL works under
 * any PUBLIC_URL prefix, and the alicdn fallback is dropped (intranets often block it).
 */
export function vantIconFontAsset(): Plugin {
  return {
    name: 'portal:vant-icon-font-asset',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!ICON_CSS.test(id)) return null
      const m = FONT_SRC.exec(code)
      if (!m?.[1]) return null
      const font = Uint8Array.from(atob(m[1]), (c) => c.charCodeAt(0))
      const name = `vant-icon-${fnv1a(font)}.woff2`
      this.emitFile({ type: 'asset', fileName: `assets/${name}`, source: font })
      // `block`: icon glyphs are private-use characters; a fallback font would show boxes.
      const css = code.replace(m[0], `src:url("./${name}") format("woff2")`).replace(FONT_DISPLAY, 'font-display:block')
      return { code: css, map: null }
    },
  }
}

/** A content hash for cache busting; collisions only cost a cache miss. */
function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0
  return h.toString(16).padStart(8, '0')
}
