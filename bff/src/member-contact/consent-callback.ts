import { isWeComClient, type ContactOutcome } from '@portal/shared'
import type { Context } from 'hono'
import { readCookie, SESSION_COOKIE } from '../auth/cookies'
import { markEntry } from '../auth/entry-gate'
import { loadSession } from '../auth/sessions'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import type { Db } from '../db'
import type { Logger } from '../log'
import { appPath } from '../paths'
import { WeComError, type WeComClient, type WeComUserDetail } from '../wecom'
import { recordDecision, saveContact, type ContactFields } from './store'

export interface ConsentNeeds {
  config: Config
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  settings: Pick<RuntimeSettings, 'get'>
}

/**
 * The end of a snsapi_privateinfo sign-in (/auth/callback with a state that names `consentFor`):
 * code → user_ticket (auth/getuserinfo, https://developer.work.weixin.qq.com/document/path/91023)
 * → the member's own fields (auth/getuserdetail, https://developer.work.weixin.qq.com/document/path/95833).
 * The session is left as it is; the page comes back with `?contact=saved|declined|failed`.
 * Nothing a member shared is ever logged: only who and what happened.
 */
export async function finishConsent(
  deps: ConsentNeeds,
  c: Context,
  i: { code: string | undefined; consentFor: string; returnTo: string },
): Promise<Response> {
  const { config, db, wecom, log, now } = deps
  const back = (outcome: ContactOutcome) => c.redirect(appPath(config, withOutcome(i.returnTo, outcome)), 302)
  /** WeCom confirmed the signed-in member: the entry gate serves the page they come back to as it is. */
  const confirmed = (outcome: ContactOutcome) => {
    if (isWeComClient(c.req.header('user-agent'))) markEntry(c, config)
    return back(outcome)
  }
  const refuse = (why: string, extra: Record<string, unknown> = {}) => {
    log.warn('contact consent not stored', { userid: i.consentFor, why, ...extra })
    return back('failed')
  }

  if (!deps.settings.get('contactConsent')) return refuse('setting off')
  // Only the member who asked, still signed in here, may add to their own details.
  const sid = readCookie(c, SESSION_COOKIE)
  const session = sid ? await loadSession(db, config.session, sid, now()) : null
  if (!session || session.userid.toLowerCase() !== i.consentFor) return refuse('not signed in as the member who asked')
  if (!i.code) {
    await recordDecision(db, i.consentFor, 'declined', now())
    return back('declined')
  }

  let detail: WeComUserDetail
  try {
    const identity = await wecom.getUserIdentity(i.code)
    // A code for someone else (a forwarded link, another account in the client) adds nothing to anyone.
    if (identity.kind !== 'member' || identity.userid.toLowerCase() !== i.consentFor) return refuse('code is for another person')
    // WeCom gives a user_ticket only to members in the app's visible range (91023).
    if (!identity.userTicket) return refuse('no user_ticket (outside the visible range?)')
    detail = await wecom.getUserDetail(identity.userTicket)
  } catch (e) {
    if (e instanceof WeComError) return refuse('wecom error', { errcode: e.errcode, hint: e.hint })
    return refuse('wecom unreachable', { err: e instanceof Error ? e.message : String(e) })
  }
  if (detail.userid.toLowerCase() !== i.consentFor) return refuse('user_ticket is for another person')

  const fields = sharedFields(detail)
  if (!fields) {
    await recordDecision(db, i.consentFor, 'declined', now())
    log.info('contact consent declined', { userid: i.consentFor })
    return confirmed('declined')
  }
  await saveContact(db, i.consentFor, fields, now())
  log.info('contact consent stored', { userid: i.consentFor, fields: Object.keys(fields) })
  return confirmed('saved')
}

/**
 * Without agreement WeCom still answers, with gender "0", its default avatar and none of
 * mobile/email/biz_mail/address (95833): that is a "no", and its avatar is not the member's.
 */
export function sharedFields(d: WeComUserDetail): ContactFields | undefined {
  const gender = d.gender === '1' ? 1 : d.gender === '2' ? 2 : undefined
  const f: ContactFields = {
    ...(d.mobile ? { mobile: d.mobile } : {}),
    ...(d.email ? { email: d.email } : {}),
    ...(d.biz_mail ? { bizMail: d.biz_mail } : {}),
    ...(gender ? { gender } : {}),
    ...(d.address ? { address: d.address } : {}),
  }
  if (!Object.keys(f).length) return undefined
  return d.avatar && /^https?:\/\//.test(d.avatar) ? { ...f, avatar: d.avatar } : f
}

function withOutcome(returnTo: string, outcome: ContactOutcome): string {
  const u = new URL(returnTo, 'http://x.invalid')
  u.searchParams.set('contact', outcome)
  return u.pathname + u.search + u.hash
}
