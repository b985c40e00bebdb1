import { detectEntryContext, isWeComClient, type EntryContext } from '@portal/shared'

/** The UA does not change during a page's life, so this is read once. */
export function useEntryContext(): { context: EntryContext; inWeCom: boolean } {
  const ua = globalThis.navigator?.userAgent ?? ''
  return { context: detectEntryContext(ua), inWeCom: isWeComClient(ua) }
}
