import type { TransportFailure, WeComError } from './errors'
import type { TokenCache } from './token-cache'

export type WeComQuery = Record<string, string | number | undefined>

export interface WeComLogger {
  info(msg: string, data?: object): void
  warn(msg: string, data?: object): void
}

export interface WeComClientOptions {
  /** `https://qyapi.weixin.qq.com`, a reverse proxy with a fixed egress IP, or the sandbox. May carry a path prefix. */
  apiBase: string
  corpId: string
  /** The app's Secret (or the contact-sync one); never logged. */
  secret: string
  /** Shared, process-wide; keyed per (apiBase, corpId, secret fingerprint). */
  tokens: TokenCache
  /** Default: undici's `request` over a bounded keep-alive pool (see pool.ts); any `fetch` fits. */
  fetch?: typeof fetch
  /** Milliseconds; default `Date.now`. */
  now?: () => number
  /** Connect, headers, each body gap, counted once a call has a connection; default 10 000. */
  timeoutMs?: number
  /** The whole call, time queued for a connection included; default 30 000. */
  overallTimeoutMs?: number
  /** Send requests through this HTTP(S) proxy (undici ProxyAgent). */
  proxyUrl?: string
  logger?: WeComLogger
  /**
   * Called with every WeComError a call meets (gettoken's, a rejected token before its retry,
   * the final one), before it is thrown or retried. Observes only: what it throws is ignored.
   */
  onError?: (e: WeComError) => void
  /** Called once per HTTP exchange with WeCom, whatever its outcome (metrics). Observes only. */
  onCall?: (call: WeComCall) => void
}

/** One exchange with WeCom as an observer sees it: `errcode` 0 is success; `failure` when WeCom gave no answer. */
export interface WeComCall {
  /** API path without query, e.g. `/cgi-bin/user/list`. */
  path: string
  errcode: number
  failure?: TransportFailure
  seconds: number
}

/** cgi-bin/auth/getuserinfo (https://developer.work.weixin.qq.com/document/path/91023). */
export type WeComIdentity =
  | { kind: 'member'; userid: string; userTicket?: string }
  | { kind: 'non-member'; openid: string; externalUserid?: string }

/**
 * auth/getuserdetail's answer (https://developer.work.weixin.qq.com/document/path/95833): the
 * member's own fields, returned only after they agreed on the snsapi_privateinfo page. gender is
 * a string there: "0" unknown (and all WeCom sends without agreement), "1" male, "2" female.
 */
export interface WeComUserDetail {
  userid: string
  gender?: string
  avatar?: string
  qr_code?: string
  mobile?: string
  email?: string
  biz_mail?: string
  address?: string
}

export interface WeComExtAttr {
  type: number
  name: string
  text?: { value: string }
  web?: { url: string; title: string }
  miniprogram?: { appid: string; pagepath: string; title: string }
}

/**
 * cgi-bin/user/get (https://developer.work.weixin.qq.com/document/path/90196). Since 2022-06-20 new self-built apps no longer receive avatar,
 * gender, mobile, email, biz_mail, qr_code or address, so all of those are optional.
 */
export interface WeComUser {
  userid: string
  name: string
  /** Parallel to `order` and `is_leader_in_dept`. */
  department: number[]
  order?: number[]
  position?: string
  mobile?: string
  /** '0' unknown, '1' male, '2' female — a string. */
  gender?: string
  email?: string
  biz_mail?: string
  is_leader_in_dept?: number[]
  direct_leader?: string[]
  avatar?: string
  thumb_avatar?: string
  telephone?: string
  alias?: string
  address?: string
  open_userid?: string
  main_department?: number
  extattr?: { attrs: WeComExtAttr[] }
  /** 1 active, 2 disabled, 4 not activated, 5 left the corp. */
  status: number
  qr_code?: string
  external_position?: string
  external_profile?: Record<string, unknown>
  enable?: number
}

/** cgi-bin/department/get (https://developer.work.weixin.qq.com/document/path/95351). `order`: larger sorts first. */
export interface WeComDepartment {
  id: number
  name: string
  name_en?: string
  department_leader?: string[]
  parentid: number
  order: number
}

export interface WeComClient {
  readonly corpId: string
  /** A valid token for this client's (apiBase, corpId, secret). Server-side only. */
  accessToken(): Promise<string>
  /** Adds access_token, parses, throws WeComError on errcode ≠ 0; retries once on a rejected token. */
  get<T extends object>(path: string, query?: WeComQuery): Promise<T>
  post<T extends object>(path: string, body: unknown, query?: WeComQuery): Promise<T>
  getUserIdentity(code: string): Promise<WeComIdentity>
  /** POST auth/getuserdetail with a user_ticket from a snsapi_privateinfo sign-in. */
  getUserDetail(userTicket: string): Promise<WeComUserDetail>
  getUser(userid: string): Promise<WeComUser>
  getDepartment(id: number): Promise<WeComDepartment>
}
