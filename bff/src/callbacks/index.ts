import { createCallbackDispatcher, type CallbackDispatcher } from './dispatcher'
import { callbackRoutes, type CallbackDeps, type CallbackRouteOptions } from './routes'
import { createCallbackWorker, type CallbackWorker, type CallbackWorkerOptions } from './worker'

// WeCom callback reception (接收消息与事件): the URL WeCom calls, the inbox, and the worker
// that hands each event to the handlers other modules register on the dispatcher.
export { CALLBACK_DEFAULTS, CALLBACK_PATH, callbackRoutes, type CallbackDeps, type CallbackRouteOptions } from './routes'
export { createCallbackDispatcher, describeCallback, type CallbackDispatcher, type CallbackHandler, type CallbackMatch } from './dispatcher'
export { createCallbackWorker, type CallbackWorker, type CallbackWorkerOptions } from './worker'
export type { CallbackMessage } from '../wecom/callback-xml'

export interface Callbacks {
  routes: ReturnType<typeof callbackRoutes>
  dispatcher: CallbackDispatcher
  worker: CallbackWorker
}

/** Everything wired once: register handlers on `dispatcher`, mount `routes`, `worker.start()` after listening. */
export function createCallbacks(
  deps: CallbackDeps,
  opts: { routes?: CallbackRouteOptions; worker?: Omit<CallbackWorkerOptions, 'db' | 'log' | 'dispatcher'> } = {},
): Callbacks {
  const dispatcher = createCallbackDispatcher()
  const worker = createCallbackWorker({ ...opts.worker, db: deps.db, log: deps.log, dispatcher })
  return { routes: callbackRoutes(deps, worker, opts.routes), dispatcher, worker }
}
