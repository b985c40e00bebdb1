import type { Page } from 'playwright-core'

export interface FocusStop {
  /** tag#id.class, enough to find it. */
  what: string
  /** Comes after the previous stop in the document (no tabindex > 0 jumping around). */
  inOrder: boolean
  /** A focus ring or shadow is drawn: someone on a keyboard can see where they are. */
  visible: boolean
  /** On screen once focused (not clipped away or parked off-screen). */
  onScreen: boolean
}

// Runs in the page (source text: the test package has no DOM types). Marks the first stop (to
// know when focus comes round again) and the last (to compare the next with it in document order).
const STOP = `(() => {
  const el = document.activeElement
  if (!el || el === document.body) return null
  if (el.hasAttribute('data-walk-first')) return 'wrapped'
  if (!document.querySelector('[data-walk-first]')) el.setAttribute('data-walk-first', '')
  const prev = document.querySelector('[data-walk-last]')
  const inOrder = !prev || !!(prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
  prev?.removeAttribute('data-walk-last')
  el.setAttribute('data-walk-last', '')
  const ring = (e) => {
    const s = getComputedStyle(e)
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
  }
  // The element's own ring, or its box's when the element is a bare input inside one.
  const visible = ring(el) || (!!el.parentElement && ring(el.parentElement))
  const r = el.getBoundingClientRect()
  const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth
  const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].slice(0, 2).map((c) => '.' + c).join('')
  return { what, inOrder, visible, onScreen }
})()`

/** Tabs through the page from the top, up to `max` stops or until focus wraps to the start. */
export async function keyboardWalk(page: Page, max = 40): Promise<FocusStop[]> {
  const stops: FocusStop[] = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const stop = await page.evaluate<FocusStop | 'wrapped' | null>(STOP)
    // Focus left the page (to the browser) or came back round to the first stop.
    if (!stop || stop === 'wrapped') break
    stops.push(stop)
  }
  return stops
}
