import type { Hono } from 'hono'
import { wecomError, wecomOk } from '../errors'
import type { SandboxState } from '../state'
import { getOrIssueToken } from './tokens'

/** GET /cgi-bin/gettoken?corpid&corpsecret (https://developer.work.weixin.qq.com/document/path/91039): the app secret or the contact-sync one. */
export function registerGettoken(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/gettoken', (c) => {
    const corpid = c.req.query('corpid')
    const secret = c.req.query('corpsecret')
    if (!corpid) return wecomError(c, s, 41002)
    if (!secret) return wecomError(c, s, 41004)
    if (corpid !== s.corpId) return wecomError(c, s, 40013)
    // Either secret works; the token remembers which, as list_id needs the contact-sync one.
    const app = secret === s.secret ? 'agent' : secret === s.contactSecret ? 'contact' : undefined
    if (!app) return wecomError(c, s, 40001)
    const { token, expiresIn } = getOrIssueToken(s, app)
    return wecomOk(c, { access_token: token.value, expires_in: expiresIn })
  })
}
