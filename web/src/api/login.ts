import { endpoints, loginOptionsSchema, type LoginOptions } from '@portal/shared'
import { requestJson } from './http'

/** Also creates the login state cookie, so call it once per login page view. */
export function fetchLoginOptions(returnTo: string): Promise<LoginOptions> {
  return requestJson(`${endpoints.loginOptions.path}?returnTo=${encodeURIComponent(returnTo)}`, loginOptionsSchema)
}
