import {
  buildQrLoginUrl,
  detectEntryContext,
  endpoints,
  isWeComClient,
  safeReturnTo,
  type LoginOptions,
} from '@portal/shared'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env'
import type { HealthMarks } from '../admin/marks'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import type { Db } from '../db'
import type { Logger } from '../log'
import { appPath, callbackUrl } from '../paths'
import { isTransient, WeComError, type WeComClient } from '../wecom'
import { finishConsent, type ConsentNeeds } from '../member-contact/consent-callback'
import { BROWSER_COOKIE, clearCookie, readCookie, SESSION_COOKIE, writeCookie } from './cookies'
import { markEntry } from './entry-gate'
import { consumeLoginState, newBrowserId } from './login-state'
import { BROWSER_COOKIE_MAX_AGE, oauthStarter, type OAuthStartNeeds } from './oauth-start'
import { redirectToProblem as problemPage, type ProblemFacts } from './problem'
import type { PrincipalCache } from './principal-cache'
import { resolveMember } from './resolve-member'
import { adminContacts, rolePolicy, rolesFor } from './roles'
import { isActive } from '../directory/member-store'
import type { Metrics, SignInOutcome } from '../metrics'
import { createSession, revokeSession } from './sessions'
import { setRequestUser } from '../http/request-context'
import type { ProblemReason } from '@portal/shared'

/**
 * The `state` of the OAuth-wrapped 应用主页 links this app used to hand out: WeCom started those
 * sign-ins, not this browser, so their codes are never exchanged (anyone could forward one).
 */
const LEGACY_HOMEPAGE_STATE = 'homepage'
/** WeCom says the code is single-use and 5-minute; these both mean "get a new one". */
const SPENT_CODE = new Set([40029, 42022])
const spentCode = (e: unknown) => e instanceof WeComError && SPENT_CODE.has(e.errcode)

export interface AuthRoutesNeeds extends OAuthStartNeeds, ConsentNeeds {
  config: Config
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  principals: PrincipalCache
  metrics: Metrics
  marks: HealthMarks
  settings: RuntimeSettings
}

export function authRoutes(deps: AuthRoutesNeeds) {
  const { config, db, wecom, log, now, principals, metrics } = deps
  /** Every way a sign-in ends on the problem page is counted by its reason (portal_sign_ins_total). */
  const redirectToProblem = (c: Context, cfg: typeof config, reason: ProblemReason & SignInOutcome, facts?: ProblemFacts): Response => {
    metrics.signIn(reason)
    return problemPage(c, cfg, reason, facts)
  }

  async function endSession(id: string, reason: string): Promise<void> {
    principals.forget(id)
    await revokeSession(db, id, reason, now())
  }

  /** `?embed=1` (the H5 inside a host app's iframe) counts only when EMBED_ORIGINS allows framing at all. */
  const embedOf = (c: Context) => c.req.query('embed') === '1' && config.embedOrigins.length > 0

  const oauth = oauthStarter(deps)
  const newState = (c: Context, returnTo: string, retry: number, embed: boolean) => oauth.newState(c, { returnTo, retry, embed })

  /** Inside WeCom: straight to OAuth. Elsewhere: the QR login page. */
  async function startLogin(c: Context, returnTo: string, retry: number, embed: boolean): Promise<Response> {
    if (!isWeComClient(c.req.header('user-agent'))) {
      return c.redirect(appPath(config, `/login?returnTo=${encodeURIComponent(returnTo)}${embed ? '&embed=1' : ''}`), 302)
    }
    return c.redirect(oauth.authorizeUrl(await newState(c, returnTo, retry, embed)), 302)
  }

  function wecomProblem(c: Context, e: unknown, returnTo: string): Response {
    if (e instanceof WeComError) {
      log.warn('sign-in stopped by WeCom', { errcode: e.errcode, errmsg: e.errmsg, path: e.path, hint: e.hint })
      const domain = e.errcode === 50001 ? new URL(config.publicUrl).host : undefined
      if (domain) deps.marks.record('oauth_domain_rejected', { domain })
      return redirectToProblem(c, config, 'wecom_error', { errcode: e.errcode, ip: e.ip, domain, returnTo })
    }
    log.error('sign-in failed', { err: e })
    return redirectToProblem(c, config, 'server_error', { returnTo })
  }

  return new Hono<AppEnv>()
    .get(endpoints.authLogin.path, (c) => {
      const embed = embedOf(c)
      return startLogin(c, keepEmbed(safeReturnTo(c.req.query('returnTo')), embed), 0, embed)
    })

    .get(endpoints.loginOptions.path, async (c) => {
      const embed = embedOf(c)
      const returnTo = keepEmbed(safeReturnTo(c.req.query('returnTo')), embed)
      const state = await newState(c, returnTo, 0, embed)
      const lang = c.req.query('lang') === 'en' ? 'en' : 'zh'
      const body: LoginOptions = {
        mode: config.mode,
        panel: {
          login_type: 'CorpApp',
          appid: deps.settings.get('corpId'),
          agentid: deps.settings.get('agentId'),
          redirect_uri: callbackUrl(config),
          state,
          // In a host's iframe `top` would take the host page away: the H5 follows the code itself.
          redirect_type: embed ? 'callback' : 'top',
        },
        fullPageUrl: buildQrLoginUrl({
          loginBase: config.wecom.loginBase,
          corpId: deps.settings.get('corpId'),
          agentId: deps.settings.get('agentId'),
          redirectUri: callbackUrl(config),
          state,
          lang,
        }),
      }
      c.header('Cache-Control', 'no-store')
      return c.json(body)
    })

    .get(endpoints.authCallback.path, async (c) => {
      const code = c.req.query('code')
      const stateParam = c.req.query('state') ?? ''
      const ua = c.req.header('user-agent') ?? ''
      if (stateParam === LEGACY_HOMEPAGE_STATE) {
        // A homepage link pasted before /auth/login became the entry URL: it keeps working,
        // through a sign-in bound to this browser.
        return startLogin(c, safeReturnTo(c.req.query('returnTo')), 0, false)
      }
      const s = await consumeLoginState(db, config.session.secret, {
        state: stateParam,
        browserId: readCookie(c, BROWSER_COOKIE),
        now: now(),
      })
      if (!s.ok) {
        log.warn('login state rejected', { why: s.why })
        // Each cause reads differently: an OAuth link opened in another browser is not "open too long".
        const why = s.why === 'malformed' || s.why === 'bad_signature' || s.why === 'unknown' ? 'invalid' : s.why
        return redirectToProblem(c, config, 'state_invalid', { why })
      }
      const { returnTo, retry } = s
      // A member sharing contact details: their session stays as it is.
      if (s.consentFor) return finishConsent(deps, c, { code, consentFor: s.consentFor, returnTo })
      const embed = !!s.embed
      if (!code) return redirectToProblem(c, config, 'login_cancelled', { returnTo })

      let identity
      try {
        identity = await wecom.getUserIdentity(code)
      } catch (e) {
        // WeCom unreachable, slow or busy: the code may be spent already (a timed-out call can
        // still have reached WeCom; a code is single-use, 5 minutes), so only a new one can
        // work. Once, silently, as for 40029. https://developer.work.weixin.qq.com/document/path/91023
        if (retry === 0 && (spentCode(e) || isTransient(e))) {
          if (!spentCode(e)) log.warn('code exchange failed; restarting sign-in once', { err: e })
          metrics.signIn('restarted')
          return startLogin(c, returnTo, 1, embed)
        }
        if (spentCode(e)) return redirectToProblem(c, config, 'code_invalid', { returnTo })
        return wecomProblem(c, e, returnTo)
      }
      deps.marks.record('oauth_ok')
      if (identity.kind === 'non-member') return redirectToProblem(c, config, 'not_member')

      let member
      try {
        member = await resolveMember(wecom, db, log, identity.userid, now())
      } catch (e) {
        if (e instanceof WeComError && (e.errcode === 60111 || e.errcode === 40003)) return redirectToProblem(c, config, 'not_member')
        return wecomProblem(c, e, returnTo)
      }
      if (!isActive(member)) return redirectToProblem(c, config, 'member_inactive', { status: member.status })
      const roles = await rolesFor(db, rolePolicy(config, deps.settings), member)
      if (!roles.length) {
        return redirectToProblem(c, config, 'no_role', { contact: (await adminContacts(db, rolePolicy(config, deps.settings))).join('、') })
      }

      // Each entry re-establishes identity: a code for another user or corp replaces the session.
      const previous = readCookie(c, SESSION_COOKIE)
      if (previous) await endSession(previous, 'replaced')
      const { id } = await createSession(db, config.session, {
        userid: member.userid,
        corpId: deps.settings.get('corpId'),
        entryContext: detectEntryContext(ua),
        userAgent: ua,
        now: now(),
      })
      writeCookie(c, config, SESSION_COOKIE, id, Math.floor(config.session.absoluteMs / 1000), embed)
      // A new browser id at each sign-in: one planted by someone else (who could then bind login
      // states to it) does not outlive the next sign-in.
      writeCookie(c, config, BROWSER_COOKIE, newBrowserId(), BROWSER_COOKIE_MAX_AGE, embed)
      // The page this sign-in lands on is confirmed already: the entry gate serves it as it is.
      if (isWeComClient(ua) && !embed) markEntry(c, config)
      setRequestUser(member.userid)
      metrics.signIn('ok')
      log.info('signed in', { userid: member.userid, entry: detectEntryContext(ua), ...(embed ? { embed } : {}) })
      return c.redirect(appPath(config, returnTo), 302)
    })

    .post(endpoints.logout.path, async (c) => {
      const id = readCookie(c, SESSION_COOKIE)
      if (id) await endSession(id, 'signed_out')
      clearCookie(c, config, SESSION_COOKIE)
      return c.body(null, 204)
    })
}

/** The H5 keeps its embedded layout only if the page it lands on says `embed=1`. */
function keepEmbed(returnTo: string, embed: boolean): string {
  if (!embed) return returnTo
  const u = new URL(returnTo, 'http://x.invalid')
  if (u.searchParams.get('embed') === '1') return returnTo
  u.searchParams.set('embed', '1')
  return u.pathname + u.search + u.hash
}
