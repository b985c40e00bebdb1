import { wecomErrorInfo } from '@portal/shared'
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

export type LiveProblems = Partial<Record<'corpId' | 'agentId' | 'secret' | 'contactSecret' | 'apiBase', string>>

/** 301002's text is not in the shared table: WeCom documents it in general terms only [M for agent/get]. */
const FOREIGN_AGENT = "this AgentId is not the app whose Secret was entered (errcode 301002): copy both from the same app's page (应用管理 → 自建应用)."

function weComSays(e: WeComError): string {
  const info = wecomErrorInfo(e.errcode)
  return `WeCom answered errcode ${e.errcode}${info ? ` (${info.en})` : ''}${e.hint ? `: ${e.hint}` : '.'}`
}

/**
 * Asks WeCom whether the credentials work, with throwaway clients (own token cache: nothing
 * proven here lands in the running app's cache): gettoken with the app Secret proves CorpID and
 * Secret; agent/get proves the AgentId belongs to that Secret ("企业仅可获取当前凭证对应的应用",
 * developer.work.weixin.qq.com/document/path/90227); gettoken with the contact-sync Secret proves
 * that one. 60020 (untrusted IP) does not block: WeCom did check the credentials to get that far,
 * and the doctor shows the IP to add. gettoken is not known to be IP-gated (wecom-api.md §11).
 */
export async function checkLive(
  c: Credentials,
  d: { proxyUrl?: string; now: () => number; log: Logger; checkApp: boolean; fetch?: typeof fetch },
): Promise<LiveProblems> {
  const problems: LiveProblems = {}
  const client = (secret: string): WeComClient =>
    createWeComClient({ apiBase: c.apiBase, corpId: c.corpId, secret, tokens: createTokenCache(), proxyUrl: d.proxyUrl, now: d.now, logger: d.log, ...(d.fetch ? { fetch: d.fetch } : {}) })
  const unreachable = (e: WeComTransportError) =>
    `${c.apiBase} could not be reached (${e.failure === 'http' ? `HTTP ${e.status ?? 'error'}` : e.failure === 'body' ? 'it did not answer like WeCom' : e.failure}). Check the address, the server's outbound network and HTTPS_PROXY.`

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
        if (e.errcode === 40013) problems.corpId = `WeCom does not know this CorpID. ${weComSays(e)}`
        else problems.secret = `WeCom refused the Secret for this CorpID. ${weComSays(e)}`
      },
    )
    if (tokenOk && !problems.apiBase) {
      await attempt(
        async () => {
          const res = await app.get<{ agentid?: unknown }>('/cgi-bin/agent/get', { agentid: c.agentId })
          if (String(res.agentid) !== c.agentId) throw new WeComError({ errcode: 301002, errmsg: 'agent/get answered another agentid', path: '/cgi-bin/agent/get' })
        },
        (e) => {
          problems.agentId = e.errcode === 301002 ? `WeCom says ${FOREIGN_AGENT}` : `WeCom refused this AgentId. ${weComSays(e)}`
        },
      )
    }
  }
  if (c.contactSecret && !problems.apiBase && !problems.corpId) {
    await attempt(
      () => client(c.contactSecret!).accessToken(),
      (e) => {
        if (e.errcode === 40013) problems.corpId = `WeCom does not know this CorpID. ${weComSays(e)}`
        else problems.contactSecret = `WeCom refused the contact-sync Secret (通讯录同步 → Secret) for this CorpID. ${weComSays(e)}`
      },
    )
  }
  return problems
}
