import { createCallbackDispatcher, type CallbackDispatcher } from './dispatcher'
import type { CallbackRoutesNeeds } from './routes'
import { createCallbackWorker, type CallbackWorker, type CallbackWorkerOptions } from './worker'

// WeCom callback reception (接收消息与事件): the URL WeCom calls, the inbox, and the worker
// that hands each event to the handlers other modules register on the dispatcher.
export { CALLBACK_DEFAULTS, CALLBACK_PATH, callbackRoutes, type CallbackRoutesNeeds, type CallbackRouteOptions } from './routes'
export { createCallbackDispatcher, describeCallback, type CallbackDispatcher, type CallbackHandler, type CallbackMatch } from './dispatcher'
export { createCallbackWorker, type CallbackWorker, type CallbackWorkerOptions } from './worker'
export type { CallbackMessage } from '../wecom/callback-xml'

export interface Callbacks {
  dispatcher: CallbackDispatcher
  worker: CallbackWorker
}

export type CallbacksNeeds = Pick<CallbackRoutesNeeds, 'db' | 'log'>

/**
 * The inbox's two ends: register handlers on `dispatcher`, `worker.start()` after listening. The
 * routes that fill the inbox are mounted once, by the app (`callbackRoutes(needs, worker)`).
 */
export function createCallbacks(deps: CallbacksNeeds, opts: { worker?: Omit<CallbackWorkerOptions, 'db' | 'log' | 'dispatcher'> } = {}): Callbacks {
  const dispatcher = createCallbackDispatcher()
  const worker = createCallbackWorker({ ...opts.worker, db: deps.db, log: deps.log, dispatcher })
  return { dispatcher, worker }
}
