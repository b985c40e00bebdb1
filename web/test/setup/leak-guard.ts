import { afterAll, afterEach, beforeEach } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'

/**
 * Nothing a test starts may outlive it: a timer, interval, animation frame or real fetch still
 * pending once the test is over (and its components unmounted) fails that test, with where it was
 * started. Otherwise it fires later, in another test or after the file's DOM is gone, and fails
 * the run as an unhandled error far from its cause.
 *
 * Exception: a library's one-shot timer of at most 1 s (Vant's tab bar measuring its placeholder
 * at 100/200/300 ms, a popup's "opened" tick) or Vue's 3 s check for devtools is run at teardown
 * instead, as it would have run a moment later. Our own code gets no such pass.
 */

type Kind = 'setTimeout' | 'setInterval' | 'requestAnimationFrame' | 'fetch'

interface Pending {
  kind: Kind
  delay?: number
  /** The stack where it was started, without this file's frames. */
  origin: string
  /** Started during the test in progress (false: at file level, checked after the file). */
  inTest: boolean
  /** Stops it without running it. */
  cancel: () => void
  /** Runs it now (flushable library timers only). */
  run?: () => void
}

export interface Leak {
  kind: Kind
  delay?: number
  origin: string
}

const FLUSH_MAX_MS = 1000
const pending = new Map<object, Pending>()
let inTest = false

/** Who started it: the caller, then the first few frames of our own code (not node_modules). */
function origin(): string {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 40
  const stack = new Error().stack ?? ''
  Error.stackTraceLimit = limit
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('leak-guard.ts'))
  const [caller, ...rest] = frames
  const own = rest.filter((l) => !/\/node_modules\/|\(node:|<anonymous>/.test(l)).slice(0, 4)
  return [caller, ...own].filter(Boolean).join('\n')
}

/** A library's timer that may run early: one-shot, short, started by code under node_modules. */
function flushable(kind: Kind, delay: number, where: string): boolean {
  if (kind !== 'setTimeout') return false
  const first = where.split('\n')[0] ?? ''
  if (!first.includes('/node_modules/')) return false
  return delay <= FLUSH_MAX_MS || where.includes('setDevtoolsHook')
}

const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  requestAnimationFrame: globalThis.requestAnimationFrame,
  cancelAnimationFrame: globalThis.cancelAnimationFrame,
  fetch: globalThis.fetch,
}

/** Node timers may be cleared by their handle or by its number. */
function findTimer(handle: unknown): object | undefined {
  if (handle && typeof handle === 'object') return pending.has(handle) ? handle : undefined
  if (handle === undefined || handle === null) return undefined
  for (const key of pending.keys()) if (Number(key) === Number(handle)) return key
  return undefined
}

function trackTimer(kind: 'setTimeout' | 'setInterval', fn: unknown, delay: unknown, args: unknown[]): ReturnType<typeof setTimeout> {
  const ms = Number(delay) || 0
  const where = origin()
  const callback = typeof fn === 'function' ? (fn as (...a: unknown[]) => void) : () => {}
  let handle: ReturnType<typeof setTimeout>
  const fire = () => {
    if (kind === 'setTimeout') pending.delete(handle)
    callback(...args)
  }
  if (kind === 'setTimeout') handle = real.setTimeout(fire, ms)
  else handle = real.setInterval(fire, ms)
  const cancel = () => {
    pending.delete(handle)
    if (kind === 'setTimeout') real.clearTimeout(handle)
    else real.clearInterval(handle)
  }
  const run = flushable(kind, ms, where)
    ? () => {
        cancel()
        callback(...args)
      }
    : undefined
  pending.set(handle, { kind, delay: ms, origin: where, inTest, cancel, run })
  return handle
}

function clearTracked(handle: unknown): void {
  const key = findTimer(handle)
  if (key) pending.get(key)!.cancel()
}

globalThis.setTimeout = ((fn: unknown, delay?: unknown, ...args: unknown[]) => trackTimer('setTimeout', fn, delay, args)) as typeof setTimeout
globalThis.setInterval = ((fn: unknown, delay?: unknown, ...args: unknown[]) => trackTimer('setInterval', fn, delay, args)) as typeof setInterval
globalThis.clearTimeout = ((handle: unknown) => (findTimer(handle) ? clearTracked(handle) : real.clearTimeout(handle as never))) as typeof clearTimeout
globalThis.clearInterval = ((handle: unknown) => (findTimer(handle) ? clearTracked(handle) : real.clearInterval(handle as never))) as typeof clearInterval

const frames = new Map<number, object>()
globalThis.requestAnimationFrame = (cb: FrameRequestCallback): number => {
  const key = {}
  const id = real.requestAnimationFrame((t) => {
    pending.delete(key)
    frames.delete(id)
    cb(t)
  })
  frames.set(id, key)
  pending.set(key, {
    kind: 'requestAnimationFrame',
    origin: origin(),
    inTest,
    cancel: () => {
      pending.delete(key)
      frames.delete(id)
      real.cancelAnimationFrame(id)
    },
  })
  return id
}
globalThis.cancelAnimationFrame = (id: number): void => {
  const key = frames.get(id)
  if (key) pending.get(key)?.cancel()
  else real.cancelAnimationFrame(id)
}

// Only a real fetch gets here: a test's vi.stubGlobal('fetch', …) stands in front of it.
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const key = {}
  const abort = new AbortController()
  init?.signal?.addEventListener('abort', () => abort.abort(init.signal?.reason))
  pending.set(key, { kind: 'fetch', origin: origin(), inTest, cancel: () => (pending.delete(key), abort.abort()) })
  return real.fetch(input, { ...init, signal: abort.signal }).finally(() => pending.delete(key))
}

/**
 * What is still pending (of the test in progress, or all): library timers that may run early are
 * run first; the rest are stopped and returned.
 */
export function takeLeaks(scope: 'test' | 'all' = 'test'): { leaks: Leak[]; errors: unknown[] } {
  const inScope = () => [...pending.values()].filter((p) => scope === 'all' || p.inTest)
  const errors: unknown[] = []
  // A flushed timer may start the next step (a popup's transition): a few rounds, then give up.
  for (let round = 0; round < 5; round++) {
    const runnable = inScope().filter((p) => p.run)
    if (runnable.length === 0) break
    for (const p of runnable) {
      try {
        p.run!()
      } catch (e) {
        errors.push(e)
      }
    }
  }
  const leaks = inScope().map(({ kind, delay, origin }) => ({ kind, delay, origin }))
  for (const p of inScope()) p.cancel()
  return { leaks, errors }
}

export function describeLeaks(leaks: Leak[]): string {
  const items = leaks.map((l) => `${l.kind}${l.delay === undefined ? '' : `(…, ${l.delay})`}, started\n${l.origin.replace(/^\s+at /gm, '    ← ')}`)
  return `${leaks.length} left pending after the test (stop it on unmount, clear it, or await it):\n\n${items.join('\n\n')}`
}

function check(scope: 'test' | 'all'): void {
  const { leaks, errors } = takeLeaks(scope)
  if (errors.length > 0) throw errors[0]
  if (leaks.length === 0) return
  const error = new Error(describeLeaks(leaks))
  // The reporter shows the code where the first one was started.
  error.stack = `Error: ${error.message}\n${leaks[0]!.origin}`
  throw error
}

// Hooks run last-registered first: components are unmounted before the check below looks.
afterEach(() => {
  inTest = false
  check('test')
})
enableAutoUnmount(afterEach)
beforeEach(() => {
  inTest = true
})
afterAll(() => check('all'))
