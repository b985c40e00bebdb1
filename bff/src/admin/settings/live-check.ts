import { wecomErrorInfo, wecomHint, type Localized } from '@portal/shared'
import type { Logger } from '../../log'
import { createTokenCache, createWeComClient, WeComError, WeComTransportError, type WeComClient } from '../../wecom'

/** The credentials a save would put in effect. */
export interface Credentials {
  apiBase: string
  corpId: string
  agentId: string
  secret: string
  /** Only when it is to be checked. */
  contactSecret?: string
}

export type LiveProblems = Partial<Record<'corpId' | 'agentId' | 'secret' | 'contactSecret' | 'apiBase', Localized>>

/** 301002's text is not in the shared table: WeCom documents it in general terms only [M for agent/get]. */
const FOREIGN_AGENT: Localized = {
  zh: '企业微信说：这个 AgentId 不是所填 Secret 所属的应用（errcode 301002）。请从同一个应用的详情页（应用管理 → 自建应用）复制这两个值。',
  en: "WeCom says this AgentId is not the app whose Secret was entered (errcode 301002): copy both from the same app's page (应用管理 → 自建应用).",
}

/** `lead` and then what WeCom said, in both languages. */
function weComSays(lead: Localized, e: WeComError): Localized {
  const info = wecomErrorInfo(e.errcode)
  const zhHint = wecomHint(e.errcode, 'zh', { ip: e.ip })
  const enHint = wecomHint(e.errcode, 'en', { ip: e.ip })
  return {
    zh: `${lead.zh}企业微信返回 errcode ${e.errcode}${info ? `（${info.zh}）` : ''}${zhHint ? `：${zhHint}` : '。'}`,
    en: `${lead.en} WeCom answered errcode ${e.errcode}${info ? ` (${info.en})` : ''}${enHint ? `: ${enHint}` : '.'}`,
  }
}

/**
 * Asks WeCom whether the credentials work, with throwaway clients (own token cache: nothing
 * proven here lands in the running app's cache): gettoken with the app Secret proves CorpID and
 * Secret; agent/get proves the AgentId belongs to that Secret ("企业仅可获取当前凭证对应的应用",
 * developer.work.weixin.qq.com/document/path/90227); gettoken with the contact-sync Secret proves
 * that one. 60020 (untrusted IP) does not block: WeCom did check the credentials to get that far,
 * and the doctor shows the IP to add. gettoken is not known to be IP-gated (https://developer.work.weixin.qq.com/document/path/91039 does not say).
 */
export async function checkLive(
  c: Credentials,
  d: { proxyUrl?: string; now: () => number; log: Logger; checkApp: boolean; fetch?: typeof fetch },
): Promise<LiveProblems> {
  const problems: LiveProblems = {}
  const client = (secret: string): WeComClient =>
    createWeComClient({ apiBase: c.apiBase, corpId: c.corpId, secret, tokens: createTokenCache(), proxyUrl: d.proxyUrl, now: d.now, logger: d.log, ...(d.fetch ? { fetch: d.fetch } : {}) })
  const unreachable = (e: WeComTransportError): Localized => {
    const why = e.failure === 'http' ? `HTTP ${e.status ?? 'error'}` : e.failure === 'body' ? null : e.failure
    return {
      zh: `无法访问 ${c.apiBase}（${why ?? '回应不像企业微信'}）。请检查地址、服务器的出站网络和 HTTPS_PROXY。`,
      en: `${c.apiBase} could not be reached (${why ?? 'it did not answer like WeCom'}). Check the address, the server's outbound network and HTTPS_PROXY.`,
    }
  }

  /** Runs a call; on failure records the problem and answers false. */
  const attempt = async (call: () => Promise<unknown>, onWeCom: (e: WeComError) => void): Promise<boolean> => {
    try {
      await call()
      return true
    } catch (e) {
      if (e instanceof WeComTransportError) problems.apiBase = unreachable(e)
      else if (e instanceof WeComError) {
        if (e.errcode === 60020) {
          d.log.warn('settings check: WeCom refused our IP (60020); saving anyway, the doctor shows the IP', { path: e.path, ip: e.ip })
          return true
        }
        onWeCom(e)
      } else throw e
      return false
    }
  }

  if (d.checkApp) {
    const app = client(c.secret)
    const tokenOk = await attempt(
      () => app.accessToken(),
      (e) => {
        if (e.errcode === 40013) problems.corpId = weComSays({ zh: '企业微信不认识这个企业ID。', en: 'WeCom does not know this CorpID.' }, e)
        else problems.secret = weComSays({ zh: '企业微信拒绝了这个企业ID下的 Secret。', en: 'WeCom refused the Secret for this CorpID.' }, e)
      },
    )
    if (tokenOk && !problems.apiBase) {
      await attempt(
        async () => {
          const res = await app.get<{ agentid?: unknown }>('/cgi-bin/agent/get', { agentid: c.agentId })
          if (String(res.agentid) !== c.agentId) throw new WeComError({ errcode: 301002, errmsg: 'agent/get answered another agentid', path: '/cgi-bin/agent/get' })
        },
        (e) => {
          problems.agentId = e.errcode === 301002 ? FOREIGN_AGENT : weComSays({ zh: '企业微信拒绝了这个 AgentId。', en: 'WeCom refused this AgentId.' }, e)
        },
      )
    }
  }
  if (c.contactSecret && !problems.apiBase && !problems.corpId) {
    await attempt(
      () => client(c.contactSecret!).accessToken(),
      (e) => {
        if (e.errcode === 40013) problems.corpId = weComSays({ zh: '企业微信不认识这个企业ID。', en: 'WeCom does not know this CorpID.' }, e)
        else problems.contactSecret = weComSays({ zh: '企业微信拒绝了这个企业ID下的通讯录同步 Secret（管理工具 → 通讯录同步 → Secret）。', en: 'WeCom refused the contact-sync Secret (通讯录同步 → Secret) for this CorpID.' }, e)
      },
    )
  }
  return problems
}
