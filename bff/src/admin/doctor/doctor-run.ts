import { WeComError, type WeComClient } from '../../wecom'
import { L, skip, type DoctorContext, type Outcome } from './types'

export type Result<T> = { ok: true; value: T } | { ok: false; error: unknown }

/** cgi-bin/agent/get (获取指定的应用详情); only the fields the doctor reads. */
export interface AgentInfo {
  agentid?: number
  name?: string
  allow_userinfos?: { user?: { userid: string }[] }
  allow_partys?: { partyid?: number[] }
  allow_tags?: { tagid?: number[] }
  /** 1 = the app is disabled. */
  close?: number
  /** The app's trusted domain (可信域名), when WeCom reports it. */
  redirect_domain?: string
  home_url?: string
}

export interface SimpleList {
  department_id?: { id: number; parentid?: number }[]
}

/**
 * One doctor run: a client with a fresh token cache (so gettoken is really asked) and the WeCom
 * calls several checks share, each made once per run.
 */
export interface DoctorRun {
  ctx: DoctorContext
  app: WeComClient
  token(): Promise<Result<string>>
  /** department/simplelist: the trusted-IP probe and the visible departments. */
  departments(): Promise<Result<SimpleList>>
  agent(): Promise<Result<AgentInfo>>
  /** Undefined when WeCom calls can go ahead; otherwise why a dependent check is skipped. */
  gate(): Promise<Outcome | undefined>
}

export function createDoctorRun(ctx: DoctorContext): DoctorRun {
  const app = ctx.client(ctx.settings.get('secret'))
  const once = <T>(fn: () => Promise<T>) => {
    let p: Promise<Result<T>> | undefined
    return () =>
      (p ??= fn().then(
        (value): Result<T> => ({ ok: true, value }),
        (error: unknown): Result<T> => ({ ok: false, error }),
      ))
  }
  const token = once(() => app.accessToken())
  const departments = once(async () => {
    const t = await token()
    if (!t.ok) throw t.error
    return app.get<SimpleList>('/cgi-bin/department/simplelist')
  })
  const agent = once(async () => {
    const t = await token()
    if (!t.ok) throw t.error
    return app.get<AgentInfo>('/cgi-bin/agent/get', { agentid: ctx.settings.get('agentId') })
  })
  const gate = async (): Promise<Outcome | undefined> => {
    if (!(await token()).ok) return skip(L('需要先让“应用 Secret”检查通过。', 'Needs the App Secret check to pass first.'))
    const d = await departments()
    if (!d.ok && d.error instanceof WeComError && d.error.errcode === 60020) {
      return skip(L('企业微信拒绝了本服务器的 IP，请先处理“企业可信IP”。', "WeCom refuses this server's IP: fix Trusted IP first."))
    }
    return undefined
  }
  return { ctx, app, token, departments, agent, gate }
}
