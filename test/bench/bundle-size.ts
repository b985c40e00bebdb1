import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const DIST = join(import.meta.dirname, '../../web/dist')
type Manifest = Record<string, { file: string; css?: string[]; imports?: string[]; isEntry?: boolean }>

/**
 * Gzip size of what a first visit to each page loads before it renders: the entry, the page
 * and their static imports (JS + CSS), from Vite's manifest. Lazy chunks are not counted.
 */
export function firstLoadSizes(): Record<string, number> {
  const m = JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8')) as Manifest
  const entry = Object.keys(m).find((k) => m[k]!.isEntry)!
  const closure = (roots: string[]) => {
    const seen = new Set<string>()
    const walk = (k: string) => {
      if (seen.has(k)) return
      seen.add(k)
      for (const i of m[k]?.imports ?? []) walk(i)
    }
    roots.forEach(walk)
    const files = new Set([...seen].flatMap((k) => [m[k]!.file, ...(m[k]!.css ?? [])]))
    return [...files].reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0)
  }
  const tabbar = Object.keys(m).find((k) => k.endsWith('AppTabbar.vue'))
  const out: Record<string, number> = {}
  for (const page of Object.keys(m).filter((k) => k.endsWith('Page.vue'))) {
    const name = page.split('/').pop()!.replace('.vue', '')
    // Signed-in pages (home, me, directory, todos) show the tab bar on first paint.
    out[name] = closure([entry, page, ...(tabbar && /Home|Me|Directory|Department|Todo/.test(name) ? [tabbar] : [])])
  }
  return out
}
