/** What the native bridge rejects with: `{ errMsg: 'agentConfig:fail_invalid signature', errCode: 40093 }`. */
export interface BridgeResult {
  errMsg: string
  errCode?: number
}

export function isBridgeResult(e: unknown): e is BridgeResult {
  return typeof e === 'object' && e !== null && typeof (e as { errMsg?: unknown }).errMsg === 'string'
}

/** The user closed the client's own UI (scanner, chat picker): not a failure. */
export function isCancelled(e: unknown): boolean {
  return isBridgeResult(e) && /:cancel$/.test(e.errMsg)
}

/** The SDK dropped a config because the page URL changed meanwhile; it signs the new URL on the next call. */
export function isSuperseded(e: unknown): boolean {
  return e instanceof Error && /SDK Error: Aborted/.test(e.message)
}

/**
 * A config/agentConfig outcome that ww.register leaves unhandled: @wecom/jssdk 2.4's register starts
 * the config and drops the promise, so a refusal, already reported through onConfigFail and
 * onAgentConfigFail, would reach the page a second time as an uncaught error.
 */
export function isRegisterRejection(e: unknown): boolean {
  return isSuperseded(e) || (isBridgeResult(e) && /^(config|agentConfig|preVerifyJSAPI):/i.test(e.errMsg))
}
