import { toRequestError, type ApiRequestError } from '../api/http'
import { appBase } from './app-base'
import { authLoginPath, navigateFull } from './navigation'

/** The current in-app path (without the PUBLIC_URL prefix), as the router would write it. */
export function currentAppPath(loc: Location = window.location): string {
  const base = appBase()
  const path = loc.pathname.startsWith(base) ? `/${loc.pathname.slice(base.length)}` : loc.pathname
  return path + loc.search
}

/**
 * A session that ended while a page was open (an API call answered 401): same way out as the
 * router guard, back to the page that was open.
 */
export function signInAgain(): void {
  navigateFull(authLoginPath(currentAppPath()))
}

/**
 * What a store makes of a failed call: the error to show, and on a 401 the way back through
 * sign-in (the page stays as it is until the browser leaves).
 */
export function requestFailed(e: unknown): ApiRequestError {
  const err = toRequestError(e)
  if (err.code === 'unauthenticated') signInAgain()
  return err
}
