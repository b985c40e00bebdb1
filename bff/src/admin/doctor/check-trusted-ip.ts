import { ipFromErrmsg } from '@portal/shared'
import { WeComError } from '../../wecom'
import { describeFailure } from './describe-error'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, L, ok, skip, type Outcome } from './types'

/** 60020 in words: the IP WeCom saw and where to add it. */
export function ipRejected(e: WeComError): Outcome {
  const ip = e.ip ?? ipFromErrmsg(e.errmsg)
  return fail(
    L(`企业微信拒绝了来自 IP ${ip ?? '（未给出）'} 的调用（错误码 60020，不安全的访问IP）。`, `WeCom refuses calls from IP ${ip ?? '(not given)'} (errcode 60020, untrusted IP).`),
    L(
      `请把 ${ip ?? '服务器的出口 IP'} 加到 ${CONSOLE.trustedIp.zh}，约 1 分钟后生效。服务器经代理或 NAT 出网时，要加的就是企业微信看到的这个 IP。`,
      `Add ${ip ?? "the server's egress IP"} under ${CONSOLE.trustedIp.en}; it takes about a minute. Behind a proxy or NAT, this IP (the one WeCom sees) is the one to add.`,
    ),
    60020,
  )
}

/** An API WeCom checks the caller's IP for (department/simplelist); gettoken may not be checked. */
export async function checkTrustedIp(r: DoctorRun): Promise<Outcome> {
  const t = await r.token()
  if (!t.ok) {
    if (t.error instanceof WeComError && t.error.errcode === 60020) return ipRejected(t.error)
    return skip(L('需要先让“应用 Secret”检查通过。', 'Needs the App Secret check to pass first.'))
  }
  const d = await r.departments()
  if (d.ok) return ok(L('企业微信接受本服务器的调用：出口 IP 已在企业可信IP 中。', "WeCom accepts this server's calls: its egress IP is a trusted IP."))
  if (d.error instanceof WeComError) {
    if (d.error.errcode === 60020) return ipRejected(d.error)
    // Any other answer came past the IP check.
    return ok(L(`企业微信接受本服务器的 IP（测试调用返回错误码 ${d.error.errcode}，与 IP 无关）。`, `WeCom accepts this server's IP (the probe answered errcode ${d.error.errcode}, which is not about the IP).`))
  }
  return describeFailure(d.error, L('调用 department/simplelist', 'Calling department/simplelist'), r.ctx)
}
