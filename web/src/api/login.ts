import { endpoints, loginOptionsSchema, type LoginOptions } from '@portal/shared'
import { requestJson } from './http'

/** Also creates the login state cookie, so call it once per login page view. */
export function fetchLoginOptions(returnTo: string, embed = false): Promise<LoginOptions> {
  // `embed=1`: a login inside a host's iframe (its cookies and its panel's redirect differ).
  return requestJson(`${endpoints.loginOptions.path}?returnTo=${encodeURIComponent(returnTo)}${embed ? '&embed=1' : ''}`, loginOptionsSchema)
}
