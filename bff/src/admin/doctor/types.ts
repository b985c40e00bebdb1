import type { DoctorCheck, Localized } from '@portal/shared'
import type { Config } from '../../config'
import type { RuntimeSettings } from '../settings/runtime'
import type { Db } from '../../db'
import type { Logger } from '../../log'
import type { WeComClient } from '../../wecom'
import type { HealthMarks } from '../marks'

export type CheckId = DoctorCheck['id']
export type CheckStatus = DoctorCheck['status']

/** What one check found; the runner adds the id, title and time taken. */
export interface Outcome {
  status: CheckStatus
  summary: Localized
  fix?: Localized
  errcode?: number
}

/** Everything the checks may use. The API builds it from Deps; `pnpm run doctor` from config alone when it must. */
export interface DoctorContext {
  config: Config
  /** The console's settings in effect (corp, AgentId, Secrets, time zone…). */
  settings: Pick<RuntimeSettings, 'get'>
  now: () => number
  log: Logger
  /** Absent when the database cannot be opened (the CLI while the server holds PGlite). */
  db?: Db
  marks?: HealthMarks
  /** A client for `secret` with a token cache of its own, so gettoken is really asked. */
  client(secret: string): WeComClient
  /** For fetching our own WW_verify file through PUBLIC_URL. */
  fetch: typeof fetch
  /** The signed-in admin: the test message goes to them, and only when asked. */
  testMessageTo?: string
}

/** Both languages, Chinese first (the console is Chinese). */
export const L = (zh: string, en: string): Localized => ({ zh, en })

export const ok = (summary: Localized): Outcome => ({ status: 'ok', summary })
export const skip = (summary: Localized): Outcome => ({ status: 'skip', summary })
export const warn = (summary: Localized, fix?: Localized): Outcome => ({ status: 'warn', summary, ...(fix ? { fix } : {}) })
export const fail = (summary: Localized, fix?: Localized, errcode?: number): Outcome => ({
  status: 'fail',
  summary,
  ...(fix ? { fix } : {}),
  ...(errcode !== undefined ? { errcode } : {}),
})

/** Console paths named in fixes (the Chinese labels are what the admin sees in WeCom's console). */
export const CONSOLE = {
  app: L('应用管理 → 应用 → 本应用', 'App Management (应用管理) → Apps → this app'),
  trustedIp: L('应用管理 → 应用 → 本应用 → 企业可信IP', 'App Management (应用管理) → Apps → this app → Trusted IPs (企业可信IP)'),
  visibleRange: L('应用管理 → 应用 → 本应用 → 可见范围', 'App Management (应用管理) → Apps → this app → Visible range (可见范围)'),
  secret: L('应用管理 → 应用 → 本应用 → Secret（点“查看”，发送到管理员的企业微信）', 'App Management (应用管理) → Apps → this app → Secret ("View" sends it to the admin\'s WeCom)'),
  contactSecret: L('管理工具 → 通讯录同步 → Secret', 'Management Tools (管理工具) → Contact Sync (通讯录同步) → Secret'),
  corpId: L('我的企业 → 企业信息 → 企业ID', 'My Company (我的企业) → Company Information → CorpID (企业ID)'),
  trustedDomain: L('应用管理 → 应用 → 本应用 → 网页授权及JS-SDK → 设置可信域名', 'App Management → Apps → this app → Web authorization and JS-SDK (网页授权及JS-SDK) → Trusted domain'),
  callback: L('应用管理 → 应用 → 本应用 → 接收消息 → 设置API接收', 'App Management → Apps → this app → Receive Messages (接收消息) → Set API reception (设置API接收)'),
  approval: L('应用管理 → 审批 → API → 可调用接口的应用', 'App Management → Approvals (审批) → API → Apps that may call the API (可调用接口的应用)'),
} as const

/** `{zh: a.zh + b.zh, …}` with a separator. */
export function join(parts: (Localized | undefined)[], sep: Localized = L('', ' ')): Localized {
  const present = parts.filter((p): p is Localized => !!p)
  return { zh: present.map((p) => p.zh).join(sep.zh), en: present.map((p) => p.en).join(sep.en) }
}
