import type { Context, Hono } from 'hono'
import { callerApp } from '../tickets/caller-app'
import { COMPANY_NAME } from './org-departments'
import { wecomError, wecomOk } from '../errors'
import type { SandboxState } from '../state'

/**
 * GET /cgi-bin/agent/get?access_token&agentid — 获取指定的应用详情 (developer.work.weixin.qq.com
 * /document/path/90227, 96448): "企业仅可获取当前凭证对应的应用" — a self-built app's token reads
 * only its own app. The visible range (allow_userinfos / allow_partys / allow_tags) is the one the
 * sandbox enforces everywhere else (settings.visibleRange).
 *
 * Errcodes for a bad agentid are not listed on that page: 41011 missing, 40056 not an integer and
 * 301002 for another app (WeCom's general list: "access_token来源需要有指定应用的权限") are [M],
 * the same as message/send's agentid checks. The contact-sync secret is not an app at all, so
 * its token gets 301002 too [M].
 */
export function registerAgent(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/agent/get', (c) => {
    const raw = c.req.query('agentid')
    if (raw === undefined || raw === '') return wecomError(c, s, 41011, 'missing agentid')
    if (!/^\d{1,10}$/.test(raw)) return wecomError(c, s, 40056, 'invalid agentid')
    if (Number(raw) !== Number(s.agentId) || callerApp(c, s) !== 'agent') return wecomError(c, s, 301002, 'not allow operate another agent with this accesstoken.')
    return wecomOk(c, agentDetail(c, s))
  })
}

function agentDetail(c: Context, s: SandboxState) {
  const range = s.settings.visibleRange
  // The range keeps userids lower-cased; WeCom answers with the member's own spelling.
  const users = range.users.map((u) => ({ userid: s.directory.members.get(u)?.userid ?? u }))
  return {
    agentid: Number(s.agentId),
    name: '员工门户（沙箱）',
    square_logo_url: new URL('/favicon.ico', c.req.url).toString(),
    description: `${COMPANY_NAME}的自建应用（企业微信沙箱）`,
    allow_userinfos: { user: users },
    allow_partys: { partyid: [...range.departments] },
    allow_tags: { tagid: [...range.tags] },
    close: 0,
    redirect_domain: s.settings.trustedDomain,
    report_location_flag: 0,
    isreportenter: 0,
    home_url: s.appUrl ?? '',
    // customized_publish_status is only for 代开发 apps (per the doc); this is a self-built one.
  }
}
