import { TOKEN_ERRCODES, WeComError, WeComTransportError } from './errors'
import { requestWeCom, type Transport, type WeComFetch, type WeComJson } from './http'
import { wecomDispatcher, wecomFetch } from './pool'
import { secretFingerprint } from './redact'
import type { FetchedToken } from './token-cache'
import type {
  WeComClient,
  WeComClientOptions,
  WeComDepartment,
  WeComIdentity,
  WeComQuery,
  WeComUser,
  WeComUserDetail,
} from './types'

const GETTOKEN = '/cgi-bin/gettoken'

export function createWeComClient(opts: WeComClientOptions): WeComClient {
  const apiBase = opts.apiBase.replace(/\/+$/, '')
  new URL(apiBase) // fail fast on a malformed base
  const now = opts.now ?? Date.now
  const logger = opts.logger
  const secretId = secretFingerprint(opts.secret)
  const tokenKey = `${apiBase}\n${opts.corpId}\n${secretId}`
  const timeoutMs = opts.timeoutMs ?? 10_000
  const transport: Transport = {
    apiBase,
    fetch: opts.fetch ? fetchAsTransport(opts.fetch) : wecomFetch,
    timeoutMs,
    overallTimeoutMs: opts.overallTimeoutMs ?? 30_000,
    dispatcher: wecomDispatcher(opts.proxyUrl, timeoutMs),
    logger,
    onError: opts.onError,
    onCall: opts.onCall,
  }

  // gettoken errors (40001/40013/40091…) are configuration problems: thrown, never retried.
  async function fetchToken(): Promise<FetchedToken> {
    const res = await requestWeCom(transport, {
      method: 'GET',
      path: GETTOKEN,
      query: { corpid: opts.corpId, corpsecret: opts.secret },
      secrets: [opts.secret],
    })
    const accessToken = res.access_token
    const expiresIn = Number(res.expires_in)
    if (typeof accessToken !== 'string' || !accessToken) {
      throw new WeComTransportError({ path: GETTOKEN, failure: 'body', message: `WeCom GET ${apiBase}${GETTOKEN}: response has no access_token` })
    }
    const expiresInSec = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200
    logger?.info('wecom access token fetched', { apiBase, corpId: opts.corpId, secretId, expiresInSec })
    return { accessToken, expiresInSec }
  }

  const accessToken = () => opts.tokens.get(tokenKey, now, fetchToken)

  async function call(method: 'GET' | 'POST', path: string, query: WeComQuery | undefined, body?: unknown): Promise<WeComJson> {
    const send = (token: string) =>
      requestWeCom(transport, { method, path, query: { access_token: token, ...query }, body, secrets: [token, opts.secret] })
    const token = await accessToken()
    try {
      return await send(token)
    } catch (e) {
      if (!(e instanceof WeComError) || !TOKEN_ERRCODES.has(e.errcode)) throw e
      // Only drop the token this call used: when many calls fail together, the first one
      // drops it and the rest join the same refetch instead of each starting one.
      const dropped = opts.tokens.invalidate(tokenKey, token)
      logger?.warn('wecom access token rejected; refetching and retrying once', { path, errcode: e.errcode, dropped, secretId })
      return await send(await accessToken())
    }
  }

  return {
    corpId: opts.corpId,
    accessToken,
    get: async <T extends object>(path: string, query?: WeComQuery) => (await call('GET', path, query)) as T,
    post: async <T extends object>(path: string, body: unknown, query?: WeComQuery) => (await call('POST', path, query, body)) as T,

    async getUserIdentity(code: string): Promise<WeComIdentity> {
      const path = '/cgi-bin/auth/getuserinfo'
      const res = await call('GET', path, { code })
      // Lowercase is the current API; the PascalCase fallback covers the legacy
      // user/getuserinfo shape should a proxy or an old sandbox answer with it.
      const userid = str(res.userid) ?? str(res.UserId)
      if (userid) {
        const userTicket = str(res.user_ticket)
        return userTicket ? { kind: 'member', userid, userTicket } : { kind: 'member', userid }
      }
      const openid = str(res.openid) ?? str(res.OpenId)
      if (openid) {
        const externalUserid = str(res.external_userid)
        return externalUserid ? { kind: 'non-member', openid, externalUserid } : { kind: 'non-member', openid }
      }
      throw new WeComTransportError({ path, failure: 'body', message: `WeCom GET ${apiBase}${path}: response has neither userid nor openid` })
    },

    async getUserDetail(userTicket: string): Promise<WeComUserDetail> {
      const path = '/cgi-bin/auth/getuserdetail'
      const { errcode: _c, errmsg: _m, ...detail } = await call('POST', path, undefined, { user_ticket: userTicket })
      if (!str(detail.userid)) {
        throw new WeComTransportError({ path, failure: 'body', message: `WeCom POST ${apiBase}${path}: response has no userid` })
      }
      const out: WeComUserDetail = { userid: str(detail.userid)! }
      for (const k of ['gender', 'avatar', 'qr_code', 'mobile', 'email', 'biz_mail', 'address'] as const) {
        const v = str(detail[k])
        if (v) out[k] = v
      }
      return out
    },

    async getUser(userid: string): Promise<WeComUser> {
      const path = '/cgi-bin/user/get'
      const { errcode: _c, errmsg: _m, ...user } = await call('GET', path, { userid })
      if (!str(user.userid)) {
        throw new WeComTransportError({ path, failure: 'body', message: `WeCom GET ${apiBase}${path}: response has no userid` })
      }
      return user as unknown as WeComUser
    },

    async getDepartment(id: number): Promise<WeComDepartment> {
      const path = '/cgi-bin/department/get'
      const res = await call('GET', path, { id })
      const dept = res.department
      if (typeof dept !== 'object' || dept === null || typeof (dept as { id?: unknown }).id !== 'number') {
        throw new WeComTransportError({ path, failure: 'body', message: `WeCom GET ${apiBase}${path}: response has no department` })
      }
      return dept as WeComDepartment
    },
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** A web `fetch` (a test's fake, the CLI's in-process sandbox) as the client's transport. */
function fetchAsTransport(f: typeof fetch): WeComFetch {
  return (url, init) => f(url, init as RequestInit)
}
