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

/**
 * Applies several callbacks at once, given in arrival order; resolves to one entry per message:
 * undefined when it was applied, else why not (only those are tried again). It may throw: then
 * every message given failed. The same at-least-once rule holds.
 */
export type CallbackBatchHandler = (msgs: CallbackMessage[]) => Promise<unknown[]>

/** What happened to one message of a batch: how many handlers matched it, and the first error. */
export interface DispatchOutcome {
  ran: number
  error?: unknown
  /** Not run: an earlier message of the same subject failed in this batch, so this one waits for it. */
  skipped?: boolean
}

export interface CallbackDispatcher {
  /** Register a handler; returns a function that removes it. */
  on(match: CallbackMatch, handler: CallbackHandler): () => void
  /** Register a handler that takes every matching message of a batch at once; returns a function that removes it. */
  onBatch(match: CallbackMatch, handler: CallbackBatchHandler): () => void
  /** Runs every matching handler in registration order, stopping at the first error; resolves to how many ran. */
  dispatch(msg: CallbackMessage): Promise<number>
  /**
   * A batch in arrival order: batch handlers first, each with its matching messages, then the
   * one-at-a-time handlers, message by message. A message whose handler failed goes no further;
   * the others are not held back by it, except those after it with the same `subjects` entry
   * (one member's events stay in order), which are skipped.
   */
  dispatchBatch(msgs: CallbackMessage[], subjects?: Array<string | undefined>): Promise<DispatchOutcome[]>
}

type Route = { match: CallbackMatch; handler: CallbackHandler; batch?: undefined } | { match: CallbackMatch; batch: CallbackBatchHandler; handler?: undefined }

export function createCallbackDispatcher(): CallbackDispatcher {
  const routes: Route[] = []
  const add = (route: Route) => {
    routes.push(route)
    return () => {
      const i = routes.indexOf(route)
      if (i >= 0) routes.splice(i, 1)
    }
  }

  async function dispatchBatch(msgs: CallbackMessage[], subjects: Array<string | undefined> = []): Promise<DispatchOutcome[]> {
    // A snapshot, so a handler that (un)registers others does not shift this run.
    const snapshot = [...routes]
    const out: DispatchOutcome[] = msgs.map(() => ({ ran: 0 }))
    for (const r of snapshot) {
      if (!r.batch) continue
      const idx = msgs.flatMap((m, i) => (out[i]!.error === undefined && matches(r.match, m) ? [i] : []))
      if (!idx.length) continue
      let errors: unknown[]
      try {
        errors = await r.batch(idx.map((i) => msgs[i]!))
      } catch (e) {
        errors = idx.map(() => e)
      }
      idx.forEach((i, j) => {
        out[i]!.ran++
        if (errors[j] !== undefined) out[i]!.error = errors[j]
      })
    }
    const failed = new Set(subjects.filter((s, i) => s !== undefined && out[i]!.error !== undefined))
    for (const [i, m] of msgs.entries()) {
      const subject = subjects[i]
      if (subject !== undefined && out[i]!.error === undefined && failed.has(subject)) {
        out[i]!.skipped = true
        continue
      }
      for (const r of snapshot) {
        if (!r.handler || out[i]!.error !== undefined || !matches(r.match, m)) continue
        out[i]!.ran++
        try {
          await r.handler(m)
        } catch (e) {
          out[i]!.error = e
          if (subject !== undefined) failed.add(subject)
        }
      }
    }
    return out
  }

  return {
    on: (match, handler) => add({ match, handler }),
    onBatch: (match, batch) => add({ match, batch }),
    async dispatch(msg) {
      const [o] = await dispatchBatch([msg])
      if (o!.error !== undefined) throw o!.error
      return o!.ran
    },
    dispatchBatch,
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
