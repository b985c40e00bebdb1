import { logDelivery, type CallbackAttempt, type CallbackDelivery, type CallbackLog } from './log'
import { contactEventXml, signedPost, type SignedRequest } from './message'
import type { ContactEvent } from '../directory/contact-events'
import type { SandboxState } from '../state'

/** "retries, 3 times in total" (https://developer.work.weixin.qq.com/document/path/90930). */
const ATTEMPTS = 3
const BODY_KEPT = 500

/**
 * Sends a change_contact event to the configured URL. Resolves after the first attempt (the
 * admin call reports it); retries then run in the background after callbackRetryDelaysMs.
 * null when no callback is configured.
 */
export async function deliverEvent(s: SandboxState, event: ContactEvent): Promise<CallbackDelivery | null> {
  return deliverPlaintext(s, contactEventXml(s, event), { changeType: event.changeType })
}

/** Any event message (change_contact, sys_approval_change …): same envelope, same retries. */
export async function deliverPlaintext(s: SandboxState, plaintext: string, label: { changeType?: string; event?: string }): Promise<CallbackDelivery | null> {
  const cfg = s.settings.callback
  if (!cfg) return null
  const req = signedPost(s, cfg, plaintext)
  const delivery = logDelivery(s.callbacks, { kind: 'event', ...label, url: req.url, status: 'pending', attempts: [], plaintext, createdAt: s.now() })
  const first = await sendOnce(s, req, 1, s.callbackTimeoutMs)
  delivery.attempts.push(first)
  if (first.httpStatus === 200) {
    delivery.status = 'delivered'
    return delivery
  }
  const log = s.callbacks
  const running: Promise<void> = retry(s, delivery, req, log.epoch).finally(() => log.running.delete(running))
  log.running.add(running)
  return delivery
}

/**
 * For events a WeCom API call causes (applyevent): the API answers at once and the push follows,
 * as on WeCom; callbacksSettled() still waits for it.
 */
export function deliverInBackground(s: SandboxState, plaintext: string, label: { changeType?: string; event?: string }): void {
  const log = s.callbacks
  const running: Promise<void> = deliverPlaintext(s, plaintext, label)
    .then(() => undefined)
    .finally(() => log.running.delete(running))
  log.running.add(running)
}

/** WeCom resends the same request (same signature, same message) when the first try fails. */
async function retry(s: SandboxState, delivery: CallbackDelivery, req: SignedRequest, epoch: number): Promise<void> {
  for (let n = 2; n <= ATTEMPTS; n++) {
    await sleep(s.callbacks, s.settings.callbackRetryDelaysMs[n - 2] ?? 0)
    if (s.callbacks.epoch !== epoch) return
    const attempt = await sendOnce(s, req, n, s.callbackTimeoutMs)
    delivery.attempts.push(attempt)
    if (attempt.httpStatus === 200) {
      delivery.status = 'delivered'
      return
    }
  }
  delivery.status = 'failed'
}

/** One HTTP request; only a 200 within the timeout counts as received. Never throws. */
export async function sendOnce(s: SandboxState, req: SignedRequest, n: number, timeoutMs: number): Promise<CallbackAttempt> {
  const at = s.now()
  const started = performance.now()
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), timeoutMs)
  try {
    const res = await fetch(req.url, {
      method: req.method,
      body: req.body,
      headers: req.body === undefined ? {} : { 'content-type': 'text/xml; charset=utf-8' },
      signal: abort.signal,
      redirect: 'manual',
    })
    const body = (await res.text()).slice(0, BODY_KEPT)
    return { n, at, httpStatus: res.status, durationMs: elapsed(started), body }
  } catch (err) {
    const error = abort.signal.aborted ? 'timeout' : err instanceof Error ? causeOf(err) : String(err)
    return { n, at, httpStatus: null, error, durationMs: elapsed(started) }
  } finally {
    clearTimeout(timer)
  }
}

/** Logs a one-off request (POST /sandbox/admin/callbacks/raw): one attempt, no retries. */
export async function sendRaw(s: SandboxState, req: SignedRequest, plaintext: string): Promise<CallbackDelivery> {
  const delivery = logDelivery(s.callbacks, { kind: 'raw', url: req.url, status: 'pending', attempts: [], plaintext, createdAt: s.now() })
  const attempt = await sendOnce(s, req, 1, s.callbackTimeoutMs)
  delivery.attempts.push(attempt)
  delivery.status = attempt.httpStatus === 200 ? 'delivered' : 'failed'
  return delivery
}

/** Resolves when every background retry has finished (or reset dropped it). */
export async function callbacksSettled(log: CallbackLog): Promise<void> {
  while (log.running.size > 0) await Promise.allSettled([...log.running])
}

function sleep(log: CallbackLog, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      log.timers.delete(timer)
      resolve()
    }, ms)
    // A pending retry must not keep the process alive on shutdown.
    timer.unref()
    log.timers.add(timer)
  })
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started)
}

/** fetch says "fetch failed"; the useful part (ECONNREFUSED …) is in the cause. */
function causeOf(err: Error): string {
  const cause = (err as { cause?: unknown }).cause
  return cause instanceof Error ? cause.message : err.message
}
