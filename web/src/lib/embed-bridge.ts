import type { EmbedMessage } from '@portal/shared'
import { debounce } from './debounce'

/** The host page's window (`window.parent`), as far as we use it. */
export interface HostWindow {
  postMessage(message: unknown, targetOrigin: string): void
}

/**
 * Posts to the host under each allowed origin, always with an explicit targetOrigin: the browser
 * delivers only the copy whose origin matches the parent, so no other page can read it.
 */
export function postToHost(host: HostWindow, origins: readonly string[], message: EmbedMessage): void {
  for (const origin of origins) {
    if (!/^https?:\/\/[^/]+$/i.test(origin)) continue // never '*', never a path
    try {
      host.postMessage(message, origin)
    } catch {
      // A malformed origin must not stop the others.
    }
  }
}

/** The path the host sees: the app path without our own `embed=1` marker. */
export function hostPath(fullPath: string): string {
  const url = new URL(fullPath, 'http://x.invalid')
  url.searchParams.delete('embed')
  return url.pathname + url.search + url.hash
}

/** Content height in whole pixels: the element's box or whatever overflows it. */
export function contentHeight(el: HTMLElement): number {
  return Math.ceil(Math.max(el.getBoundingClientRect().height, el.scrollHeight))
}

export const HEIGHT_DEBOUNCE_MS = 100

type ObserverCtor = new (cb: () => void) => { observe(el: Element): void; disconnect(): void }

/**
 * Reports the element's height once it has settled, and again only when it changes (a
 * resizing iframe re-lays out the page; reporting the same height would loop).
 */
export function watchHeight(
  el: HTMLElement,
  onHeight: (height: number) => void,
  opts: { ms?: number; Observer?: ObserverCtor } = {},
): () => void {
  let last = -1
  const measure = debounce(() => {
    const h = contentHeight(el)
    if (h === last) return
    last = h
    onHeight(h)
  }, opts.ms ?? HEIGHT_DEBOUNCE_MS)
  const Observer = opts.Observer ?? (typeof ResizeObserver === 'undefined' ? undefined : ResizeObserver)
  const observer = Observer ? new Observer(() => measure()) : undefined
  observer?.observe(el)
  measure()
  return () => {
    observer?.disconnect()
    measure.cancel()
  }
}
