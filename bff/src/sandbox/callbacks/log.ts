/** One HTTP request the sandbox made to the app's callback URL. */
export interface CallbackAttempt {
  /** 1, 2 or 3. */
  n: number
  /** Sandbox clock, ms. */
  at: number
  /** null when no answer came (timeout, refused connection). */
  httpStatus: number | null
  /** 'timeout' or the network error's message. */
  error?: string
  durationMs: number
  /** The answer's first 500 characters. */
  body?: string
}

export type CallbackDeliveryStatus = 'pending' | 'delivered' | 'failed'

/** A message WeCom pushes, with every attempt at delivering it (GET /sandbox/admin/callbacks). */
export interface CallbackDelivery {
  id: string
  /** 'event' = a change_contact event; 'raw' = POST /sandbox/admin/callbacks/raw (one attempt, no retry). */
  kind: 'event' | 'raw'
  /** create_user, update_party … for change_contact events. */
  changeType?: string
  /** The Event of other events, e.g. sys_approval_change. */
  event?: string
  url: string
  /** delivered = an attempt got HTTP 200; failed = all attempts used up. */
  status: CallbackDeliveryStatus
  attempts: CallbackAttempt[]
  /** The decrypted message, for debugging (WeCom sends it encrypted). */
  plaintext: string
  createdAt: number
}

export interface CallbackLog {
  deliveries: CallbackDelivery[]
  nextId: number
  /** Scheduled retries, cancelled by reset. */
  timers: Set<ReturnType<typeof setTimeout>>
  /** Deliveries not finished yet (first attempt or retries outstanding). */
  running: Set<Promise<void>>
  /** Bumped by reset so a delivery already in flight schedules no more retries. */
  epoch: number
}

/** Oldest entries are dropped past this, so a long-running sandbox does not grow without end. */
export const MAX_LOGGED_DELIVERIES = 1000

export function createCallbackLog(): CallbackLog {
  return { deliveries: [], nextId: 1, timers: new Set(), running: new Set(), epoch: 0 }
}

export function clearCallbackLog(log: CallbackLog): void {
  for (const t of log.timers) clearTimeout(t)
  log.timers.clear()
  // Their sleeps were cancelled and will never resolve: stop waiting for them.
  log.running.clear()
  log.deliveries.length = 0
  log.nextId = 1
  log.epoch += 1
}

export function logDelivery(log: CallbackLog, d: Omit<CallbackDelivery, 'id'>): CallbackDelivery {
  const delivery: CallbackDelivery = { id: `cb${log.nextId++}`, ...d }
  log.deliveries.push(delivery)
  if (log.deliveries.length > MAX_LOGGED_DELIVERIES) log.deliveries.shift()
  return delivery
}
