import { isIP } from 'node:net'
import { buildHomepageUrl, type Localized, type SetupValues } from '@portal/shared'
import { CALLBACK_PATH } from '../callbacks/routes'
import type { Config } from '../config'
import type { RuntimeSettings } from './settings/runtime'
import type { Mark, MarkName } from './marks'

/**
 * What is wrong with PUBLIC_URL as a trusted domain (80001 in https://developer.work.weixin.qq.com/document/path/90313; the README, "WeCom setup (real corp)"): WeCom refuses bare IPs
 * and `localhost` (and needs an ICP-filed domain); JS-SDK and Web login expect https. In
 * sandbox mode the sandbox accepts anything, so only real corps hear about it.
 */
export function publicUrlWarnings(config: Pick<Config, 'mode' | 'publicUrl'>): Localized[] {
  if (config.mode === 'sandbox') return []
  const url = new URL(config.publicUrl)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const out: Localized[] = []
  if (isIP(host)) {
    out.push({
      zh: `PUBLIC_URL 的主机是 IP 地址（${host}）：企业微信不接受 IP 作为可信域名，请使用已备案、主体与企业一致的域名。`,
      en: `PUBLIC_URL's host is an IP address (${host}): WeCom does not accept IPs as trusted domains. Use an ICP-filed domain owned by the same entity as the corp.`,
    })
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    out.push({
      zh: 'PUBLIC_URL 是 localhost：企业微信的客户端和服务器都访问不到它，请设置为员工可访问的正式域名。',
      en: "PUBLIC_URL is localhost: neither WeCom's clients nor its servers can reach it. Set it to the public domain people use.",
    })
  }
  if (url.protocol !== 'https:') {
    out.push({
      zh: 'PUBLIC_URL 不是 https：JS-SDK、网页登录和安全 Cookie 都需要 https，请在反向代理上启用 TLS 并把 PUBLIC_URL 改为 https://…。',
      en: 'PUBLIC_URL is not https: JS-SDK, Web login and secure cookies need https. Terminate TLS at the reverse proxy and set PUBLIC_URL to https://….',
    })
  }
  return out
}

/** host[:port] of PUBLIC_URL: what WeCom compares the redirect domain with (port included). */
export function publicHost(config: Pick<Config, 'publicUrl'>): string {
  return new URL(config.publicUrl).host
}

/** The values to paste into WeCom's admin console, each for one field there. */
export function setupValues(d: { config: Config; settings: Pick<RuntimeSettings, 'get'> }, marks: Map<MarkName, Mark>, deepLink?: string): SetupValues {
  const { config, settings } = d
  const [corpId, agentId] = [settings.get('corpId'), settings.get('agentId')]
  const rejected = marks.get('ip_rejected')
  const ip = typeof rejected?.detail.ip === 'string' ? rejected.detail.ip : undefined
  return {
    mode: config.mode,
    corpId,
    agentId,
    publicUrl: config.publicUrl,
    homepageUrl: buildHomepageUrl({ publicUrl: config.publicUrl, path: deepLink }),
    trustedDomain: publicHost(config),
    loginCallbackDomain: publicHost(config),
    callbackUrl: `${config.publicUrl}${CALLBACK_PATH}`,
    callbackTokenSet: !!settings.get('callbackToken'),
    callbackAesKeySet: !!settings.get('callbackAesKey'),
    ...(ip && rejected ? { egressIp: { ip, seenAt: rejected.at.toISOString() } } : {}),
    domainWarnings: publicUrlWarnings(config),
  }
}
