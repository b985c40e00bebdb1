import { createSandbox, SANDBOX_DEFAULTS, type SandboxOptions } from '../../src/sandbox/index'

export const TRUSTED = 'localhost:3000'
export const CALLBACK = `http://${TRUSTED}/auth/callback`
export const T0 = Date.UTC(2026, 10, 1, 8, 0, 0)

/** WeCom's errmsg tail: `, hint: [rid], from ip: x, more info at …?e=<code>`. */
export function hintPattern(errcode: number, ip = '127.0.0.1'): RegExp {
  const escapedIp = ip.replace(/[.]/g, '\\.')
  return new RegExp(`, hint: \\[\\d+_\\d+_[0-9a-f]{32}\\], from ip: ${escapedIp}, more info at https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=${errcode}$`)
}

export type Json = Record<string, unknown> & { errcode: number; errmsg: string }

/** A sandbox on a hand-driven clock, plus small request helpers. */
export function setup(opts: Partial<SandboxOptions> = {}) {
  let now = T0
  const sandbox = createSandbox({ trustedDomain: TRUSTED, now: () => now, ...opts })
  const { app } = sandbox
  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers })
  const json = async (path: string, headers: Record<string, string> = {}) => (await (await get(path, headers)).json()) as Json
  const send = async (method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const gettoken = (corpid: string = SANDBOX_DEFAULTS.corpId, secret: string = SANDBOX_DEFAULTS.secret) =>
    json(`/cgi-bin/gettoken?corpid=${encodeURIComponent(corpid)}&corpsecret=${encodeURIComponent(secret)}`)
  const token = async () => (await gettoken()).access_token as string
  return {
    sandbox,
    app,
    state: sandbox.state,
    get,
    json,
    send,
    gettoken,
    token,
    advance: (ms: number) => {
      now += ms
    },
  }
}

export function authorizeUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({ appid: SANDBOX_DEFAULTS.corpId, redirect_uri: CALLBACK, response_type: 'code', scope: 'snsapi_base', state: 'st1', agentid: SANDBOX_DEFAULTS.agentId, ...params })
  return `/connect/oauth2/authorize?${q.toString()}`
}

export function qrUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({ login_type: 'CorpApp', appid: SANDBOX_DEFAULTS.corpId, agentid: SANDBOX_DEFAULTS.agentId, redirect_uri: CALLBACK, state: 'qr1', lang: 'zh', ...params })
  return `/wwlogin/sso/login?${q.toString()}`
}

/** The code and state a 302 carries back to the app. */
export function redirectParams(res: Response): URL {
  const location = res.headers.get('location')
  if (!location) throw new Error(`expected a redirect, got ${res.status}`)
  return new URL(location)
}
