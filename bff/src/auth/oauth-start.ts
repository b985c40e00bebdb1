import { buildAuthorizeUrl } from '@portal/shared'
import type { Context } from 'hono'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import type { Db } from '../db'
import { callbackUrl } from '../paths'
import { BROWSER_COOKIE, readCookie, writeCookie } from './cookies'
import { createLoginState, newBrowserId } from './login-state'

export const BROWSER_COOKIE_MAX_AGE = 30 * 86_400

export interface StateRequest {
  returnTo: string
  retry: number
  embed: boolean
  /** A snsapi_privateinfo sign-in started by this signed-in member (contact details). */
  consentFor?: string
}

export interface OAuthStartNeeds {
  config: Config
  db: Db
  now: () => number
  settings: Pick<RuntimeSettings, 'get'>
}

/**
 * The one way a sign-in starts: a `state` bound to this browser, and WeCom's authorize link back
 * to /auth/callback. Ordinary sign-ins and the contact-details consent share it.
 */
export function oauthStarter(deps: OAuthStartNeeds) {
  const { config, db, now, settings } = deps
  return {
    /**
     * A fresh login `state` bound to this browser (the cookie is created when missing). An
     * embedded login re-sends the cookie as SameSite=None: the callback comes back inside the frame.
     */
    async newState(c: Context, r: StateRequest): Promise<string> {
      const known = readCookie(c, BROWSER_COOKIE)
      const browserId = known && known.length <= 64 ? known : newBrowserId()
      if (browserId !== known || r.embed) writeCookie(c, config, BROWSER_COOKIE, browserId, BROWSER_COOKIE_MAX_AGE, r.embed)
      return createLoginState(db, config.session.secret, { browserId, returnTo: r.returnTo, retry: r.retry, embed: r.embed, consentFor: r.consentFor, now: now() })
    },
    authorizeUrl(state: string, scope: 'snsapi_base' | 'snsapi_privateinfo' = 'snsapi_base'): string {
      return buildAuthorizeUrl({
        oauthBase: config.wecom.oauthBase,
        corpId: settings.get('corpId'),
        agentId: settings.get('agentId'),
        redirectUri: callbackUrl(config),
        state,
        scope,
      })
    },
  }
}
