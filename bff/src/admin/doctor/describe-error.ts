import { wecomErrorInfo, wecomHint, type Localized } from '@portal/shared'
import { WeComError, WeComTransportError } from '../../wecom'
import { fail, L, type DoctorContext, type Outcome } from './types'

/**
 * Any failure of a WeCom call as a failed check in plain words: WeCom's errcode with its meaning
 * and what to do (shared/src/wecom-errors.ts), or why WeCom could not be reached at all.
 * `what` names the call, e.g. "换取 access_token" / "getting an access_token".
 */
export function describeFailure(e: unknown, whatIn: Localized, ctx: Pick<DoctorContext, 'config' | 'settings'>): Outcome {
  // Chinese runs into Latin with a space between (…access_token 失败).
  const what = { zh: /[A-Za-z0-9)]$/.test(whatIn.zh) ? `${whatIn.zh} ` : whatIn.zh, en: whatIn.en }
  if (e instanceof WeComError) {
    const info = wecomErrorInfo(e.errcode)
    const vars = { ip: e.ip, domain: undefined }
    return fail(
      L(`${what.zh}失败：企业微信返回错误码 ${e.errcode}${info ? `（${info.zh}）` : ''}。`, `${what.en} failed: WeCom answered errcode ${e.errcode}${info ? ` (${info.en})` : ''}.`),
      L(
        wecomHint(e.errcode, 'zh', vars) ?? `请在 https://open.work.weixin.qq.com/devtool/query?e=${e.errcode} 查询该错误码。`,
        wecomHint(e.errcode, 'en', vars) ?? `Look the errcode up at https://open.work.weixin.qq.com/devtool/query?e=${e.errcode}.`,
      ),
      e.errcode,
    )
  }
  if (e instanceof WeComTransportError) {
    const base = ctx.settings.get('apiBase')
    const { proxyUrl } = ctx.config.wecom
    const proxy = proxyUrl ? L(`（经代理 ${redactProxy(proxyUrl)}）`, ` (through the proxy ${redactProxy(proxyUrl)})`) : L('', '')
    if (e.failure === 'network' || e.failure === 'timeout') {
      return fail(
        L(`${what.zh}失败：连不上 ${base}${proxy.zh}${e.failure === 'timeout' ? '，请求超时' : ''}。`, `${what.en} failed: could not reach ${base}${proxy.en}${e.failure === 'timeout' ? ' (timed out)' : ''}.`),
        L(
          '请检查服务器的出站网络和 DNS、WECOM_API_BASE（企业微信 API 地址或转发到它的反向代理）以及 HTTPS_PROXY。',
          "Check the server's outbound network and DNS, WECOM_API_BASE (WeCom's API or a reverse proxy in front of it) and HTTPS_PROXY.",
        ),
      )
    }
    if (e.failure === 'http') {
      return fail(
        L(`${what.zh}失败：${base} 返回 HTTP ${e.status ?? '错误'}，不是企业微信的应答。`, `${what.en} failed: ${base} answered HTTP ${e.status ?? 'error'}, not a WeCom answer.`),
        L('WECOM_API_BASE 指向的反向代理或代理服务器出错，请检查它能否转发到 https://qyapi.weixin.qq.com。', 'The reverse proxy or proxy behind WECOM_API_BASE failed: check that it forwards to https://qyapi.weixin.qq.com.'),
      )
    }
    return fail(
      L(`${what.zh}失败：${base} 的应答不是企业微信的 JSON。`, `${what.en} failed: ${base} did not answer with WeCom's JSON.`),
      L('请确认 WECOM_API_BASE 是 https://qyapi.weixin.qq.com 或原样转发到它的反向代理（不要指向登录页或网关首页）。', 'Make sure WECOM_API_BASE is https://qyapi.weixin.qq.com or a reverse proxy that forwards to it unchanged.'),
    )
  }
  const message = e instanceof Error ? e.message : String(e)
  return fail(L(`${what.zh}时出现意外错误：${message}`, `${what.en}: unexpected error: ${message}`))
}

/** A proxy URL may carry user:password; show only where it is. */
function redactProxy(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'HTTPS_PROXY'
  }
}
