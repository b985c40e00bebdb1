import { newer } from '../marks'
import { publicHost } from '../setup-values'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, join, L, ok, skip, warn, type Outcome } from './types'
import { when } from './when'

/**
 * WeCom has no API that checks the trusted domain (可信域名), so: what agent/get reports as the
 * app's redirect_domain when it does, and what sign-ins showed — the last success (oauth_ok) and
 * the last 50001 (oauth_domain_rejected). A 50001 after the last success means it is wrong now.
 */
export async function checkTrustedDomain(r: DoctorRun): Promise<Outcome> {
  const host = publicHost(r.ctx.config)
  const set = L(`请在 ${CONSOLE.trustedDomain.zh} 中填写 ${host}（须完全一致，含端口；域名须已备案并通过归属校验）。`, `Enter ${host} under ${CONSOLE.trustedDomain.en} (exactly, port included; the domain must be ICP-filed and verified).`)
  const agent = await r.agent()
  const reported = agent.ok && agent.value.redirect_domain ? agent.value.redirect_domain.trim() : undefined
  if (reported && reported.toLowerCase() !== host.toLowerCase()) {
    return fail(L(`企业微信中本应用的可信域名是 ${reported}，但 PUBLIC_URL 的域名是 ${host}。`, `WeCom has ${reported} as the app's trusted domain, but PUBLIC_URL's host is ${host}.`), set)
  }
  if (!r.ctx.marks) {
    return reported ? ok(L(`企业微信中本应用的可信域名是 ${host}。`, `WeCom has ${host} as the app's trusted domain.`)) : skip(L('数据库未打开，无法查看登录记录。', 'The database is not open: sign-in records cannot be read.'))
  }
  const marks = await r.ctx.marks.read()
  const good = marks.get('oauth_ok')
  const rejected = marks.get('oauth_domain_rejected')
  if (newer(rejected, good)) {
    const domain = typeof rejected!.detail.domain === 'string' ? rejected!.detail.domain : host
    return fail(
      L(`${when(rejected!.at, r.ctx.settings.get('timeZone'))} 的登录被企业微信拒绝（错误码 50001：回调域名 ${domain} 不是可信域名）${good ? `，此后没有成功的登录` : ''}。`, `A sign-in at ${when(rejected!.at, r.ctx.settings.get('timeZone'))} was refused by WeCom (errcode 50001: ${domain} is not a trusted domain)${good ? ', and none has succeeded since' : ''}.`),
      set,
      50001,
    )
  }
  const confirmed = reported ? L(`企业微信中本应用的可信域名是 ${host}。`, `WeCom has ${host} as the app's trusted domain.`) : undefined
  if (good) return ok(join([confirmed, L(`最近一次企业微信登录成功于 ${when(good.at, r.ctx.settings.get('timeZone'))}（域名 ${host}）。`, `The last WeCom sign-in succeeded at ${when(good.at, r.ctx.settings.get('timeZone'))} (domain ${host}).`)]))
  if (confirmed) return ok(confirmed)
  return warn(L(`还没有通过企业微信登录的记录，无法确认可信域名是否为 ${host}。`, `No WeCom sign-in recorded yet, so the trusted domain cannot be confirmed as ${host}.`), join([set, L('然后从企业微信打开一次应用。', 'Then open the app once from WeCom.')]))
}
