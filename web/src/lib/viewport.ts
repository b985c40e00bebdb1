/** Narrow screens get WeCom's small login panel (320 px) instead of the 480 px one. */
export function isNarrowViewport(): boolean {
  return window.innerWidth < 480
}
