import type { Deps } from '../deps'

/** Whatever the outbox sender exposes; optional so the host API works with or without one wired. */
type MaybeOutbox = { outbox?: { wake?: () => void } }

/** Nudges the outbox sender after a commit that queued messages, instead of waiting for its next poll. */
export function wakeOutbox(deps: Deps): void {
  ;(deps as Deps & MaybeOutbox).outbox?.wake?.()
}
