import { isHttpUrl } from './redirect'
import type { SandboxState } from '../state'

export interface AuthorizeParams {
  redirectUri: string
  scope: string
  state: string
}

export type Checked<T> = { ok: true; value: T } | { ok: false; title: string; detail: string }

const SCOPES = new Set(['snsapi_base', 'snsapi_privateinfo', 'snsapi_userinfo'])
/** https://developer.work.weixin.qq.com/document/path/91022: state is at most 128 bytes. */
const MAX_STATE_BYTES = 128

const fail = (title: string, detail: string) => ({ ok: false as const, title, detail })

/** The checks the WeCom client makes before it will hand out a code (https://developer.work.weixin.qq.com/document/path/91022). */
export function checkAuthorizeParams(s: SandboxState, q: Record<string, string>): Checked<AuthorizeParams> {
  if (!q.appid) return fail('参数错误', '缺少 appid 参数（应为企业 CorpID）。')
  if (q.appid !== s.corpId) return fail('参数错误', `appid 无效：${q.appid} 不是本企业的 CorpID（沙箱企业为 ${s.corpId}）。`)
  if (!q.redirect_uri) return fail('redirect_uri 参数错误', '缺少 redirect_uri 参数。')
  if (!isHttpUrl(q.redirect_uri)) return fail('redirect_uri 参数错误', 'redirect_uri 须为完整的 http(s) 地址，并经过 URL 编码。')
  if (q.response_type !== 'code') return fail('参数错误', 'response_type 须为 code。')
  if (!q.scope || !SCOPES.has(q.scope)) return fail('scope 参数错误', 'scope 须为 snsapi_base 或 snsapi_privateinfo。')
  if (q.agentid !== undefined && q.agentid !== '' && q.agentid !== s.agentId) return fail('参数错误', `agentid 无效：${q.agentid} 不是本应用的 AgentID。`)
  if (q.scope === 'snsapi_privateinfo' && !q.agentid) return fail('参数错误', 'scope 为 snsapi_privateinfo 时必须传 agentid。')
  const state = q.state ?? ''
  if (Buffer.byteLength(state) > MAX_STATE_BYTES) return fail('state 参数错误', `state 最长 ${MAX_STATE_BYTES} 字节，收到 ${Buffer.byteLength(state)} 字节。`)
  return { ok: true, value: { redirectUri: q.redirect_uri, scope: q.scope, state } }
}

export interface QrLoginParams {
  redirectUri: string
  state: string
}

/** wwlogin/sso/login checks (https://developer.work.weixin.qq.com/document/path/98151); the sandbox is one self-built app. */
export function checkQrLoginParams(s: SandboxState, q: Record<string, string>): Checked<QrLoginParams> {
  if (q.login_type === 'ServiceApp') return fail('参数错误', '沙箱只模拟企业自建应用：login_type 须为 CorpApp。')
  if (q.login_type !== 'CorpApp') return fail('参数错误', 'login_type 参数错误，企业自建应用应为 CorpApp。')
  if (!q.appid) return fail('参数错误', '缺少 appid 参数（应为企业 CorpID）。')
  if (q.appid !== s.corpId) return fail('参数错误', `appid 无效：${q.appid} 不是本企业的 CorpID（沙箱企业为 ${s.corpId}）。`)
  if (!q.agentid) return fail('参数错误', 'login_type 为 CorpApp 时必须传 agentid。')
  if (q.agentid !== s.agentId) return fail('参数错误', `agentid 无效：${q.agentid} 不是本应用的 AgentID。`)
  if (!q.redirect_uri) return fail('redirect_uri 参数错误', '缺少 redirect_uri 参数。')
  if (!isHttpUrl(q.redirect_uri)) return fail('redirect_uri 参数错误', 'redirect_uri 须为完整的 http(s) 地址，并经过 URL 编码。')
  return { ok: true, value: { redirectUri: q.redirect_uri, state: q.state ?? '' } }
}
