import { ipFromErrmsg, wecomHint } from '@portal/shared'

/** WeCom answered, with errcode ≠ 0. Branch on `errcode`, never on `errmsg` text (https://developer.work.weixin.qq.com/document/path/90313). */
export class WeComError extends Error {
  override readonly name = 'WeComError'
  readonly errcode: number
  readonly errmsg: string
  /** API path without query, e.g. `/cgi-bin/user/get`. */
  readonly path: string
  /** The IP WeCom saw (`from ip: …` in errmsg), set for 60020 and anything else that carries it. */
  readonly ip?: string
  /** What an admin can do, in English, from the shared errcode table. */
  readonly hint?: string

  constructor(init: { errcode: number; errmsg: string; path: string }) {
    super(`WeCom ${init.path} failed: errcode ${init.errcode} ${init.errmsg}`)
    this.errcode = init.errcode
    this.errmsg = init.errmsg
    this.path = init.path
    const ip = ipFromErrmsg(init.errmsg)
    if (ip) this.ip = ip
    const hint = wecomHint(init.errcode, 'en', { ip })
    if (hint) this.hint = hint
  }
}

export type TransportFailure = 'network' | 'timeout' | 'http' | 'body'

/** We never got a usable WeCom answer: network error, timeout, non-2xx HTTP or a body that is not WeCom JSON. */
export class WeComTransportError extends Error {
  override readonly name = 'WeComTransportError'
  readonly path: string
  readonly status?: number
  readonly failure: TransportFailure

  constructor(init: { path: string; failure: TransportFailure; message: string; status?: number; cause?: unknown }) {
    // `cause` goes through Error's own option so it stays non-enumerable (out of JSON logs).
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.path = init.path
    this.failure = init.failure
    if (init.status !== undefined) this.status = init.status
  }
}

/** Errcodes that mean "this access_token is no good": drop it, refetch, retry once (https://developer.work.weixin.qq.com/document/path/90313). */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001])

const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1, 6000, 45009, 45033])

/**
 * Worth retrying later with backoff: WeCom busy/throttled, or the network/proxy/WeCom
 * front-end failed (no status, timeout, 5xx, 429). A 2xx non-JSON body is not: that is a
 * misconfigured apiBase/proxy and will not heal by itself.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof WeComError) return TRANSIENT_ERRCODES.has(err.errcode)
  if (err instanceof WeComTransportError) {
    if (err.failure === 'network' || err.failure === 'timeout') return true
    if (err.failure === 'http') return err.status === undefined || err.status >= 500 || err.status === 429
  }
  return false
}
