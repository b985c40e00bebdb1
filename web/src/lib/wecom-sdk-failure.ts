import { wecomHint } from '@portal/shared'
import { ApiRequestError } from '../api/http'
import { isBridgeResult } from './wecom-sdk-errors'

/**
 * One line for the console saying why a JS-SDK step failed and what usually fixes it — the
 * page keeps working, so this is where an admin or developer finds the reason. Loaded only when
 * something fails.
 */
export function describeSdkFailure(e: unknown): string {
  if (e instanceof ApiRequestError) {
    const wecom = e.errcode !== undefined ? ` (WeCom errcode ${e.errcode})` : ''
    return `the BFF could not sign this page: ${e.code}${wecom}: ${e.message}${e.hint ? ` — ${e.hint}` : ''}`
  }
  if (isBridgeResult(e)) {
    const known = e.errCode !== undefined && e.errCode > 0 ? wecomHint(e.errCode, 'en') : undefined
    const guess = /signature/i.test(e.errMsg)
      ? "the signed URL must be this page's URL: PUBLIC_URL must match the scheme, host, port and path prefix the client sees (TRUST_PROXY behind a proxy that changes them), on the app's trusted domain"
      : /permission denied|no permission/i.test(e.errMsg)
        ? "the API is missing from jsApiList, or the app has no permission for it"
        : undefined
    const hint = known ?? guess
    return `${e.errMsg}${e.errCode !== undefined ? ` (errCode ${e.errCode})` : ''}${hint ? ` — ${hint}` : ''}`
  }
  return e instanceof Error ? e.message : String(e)
}
