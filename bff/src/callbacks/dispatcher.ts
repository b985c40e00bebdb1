import type { CallbackMessage } from '../wecom/callback-xml'

/** Every key given must equal the message's (case-insensitively); keys left out match anything. */
export interface CallbackMatch {
  msgType?: string
  event?: string
  changeType?: string
}

/**
 * Applies one callback. Delivery is at least once (a retry after a crash or a failed sibling
 * handler runs it again), so a handler must be idempotent.
 */
export type CallbackHandler = (msg: CallbackMessage) => Promise<void>

export interface CallbackDispatcher {
  /** Register a handler; returns a function that removes it. */
  on(match: CallbackMatch, handler: CallbackHandler): () => void
  /** Runs every matching handler in registration order, stopping at the first error; resolves to how many ran. */
  dispatch(msg: CallbackMessage): Promise<number>
}

export function createCallbackDispatcher(): CallbackDispatcher {
  const routes: Array<{ match: CallbackMatch; handler: CallbackHandler }> = []
  return {
    on(match, handler) {
      const route = { match, handler }
      routes.push(route)
      return () => {
        const i = routes.indexOf(route)
        if (i >= 0) routes.splice(i, 1)
      }
    },
    async dispatch(msg) {
      // A snapshot, so a handler that (un)registers others does not shift this run.
      const matching = routes.filter((r) => matches(r.match, msg))
      for (const r of matching) await r.handler(msg)
      return matching.length
    },
  }
}

function matches(m: CallbackMatch, msg: CallbackMessage): boolean {
  return same(m.msgType, msg.msgType) && same(m.event, msg.event) && same(m.changeType, msg.changeType)
}

// WeCom spells most events in lower case but some (LOCATION, LEFT_*) in upper: compare loosely.
function same(want: string | undefined, got: string | undefined): boolean {
  return want === undefined || (got !== undefined && want.toLowerCase() === got.toLowerCase())
}

/** `event/change_contact/create_user`: for logs and the "no handler" note. */
export function describeCallback(msg: Pick<CallbackMessage, 'msgType' | 'event' | 'changeType'>): string {
  return [msg.msgType, msg.event, msg.changeType].filter(Boolean).join('/')
}
