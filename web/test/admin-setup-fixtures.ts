import {
  doctorReportSchema,
  settingsViewSchema,
  setupValuesSchema,
  verifyFileSchema,
  type DoctorCheck,
  type DoctorReport,
  type SettingField,
  type SettingsView,
  type SetupValues,
  type VerifyFile,
} from '@portal/shared'
import { jsonResponse } from './fixtures'

/** Every fixture goes through the shared schema, so a stub the BFF could never send fails here. */
function valid<T>(schema: { parse(v: unknown): T }, value: T): T {
  return schema.parse(value)
}

export const HOMEPAGE_URL = 'https://portal.example.com/portal/auth/login'

export function setupValues(over: Partial<SetupValues> = {}): SetupValues {
  return valid(setupValuesSchema, {
    mode: 'wecom',
    corpId: 'ww7c5e0a1b2c3d4e5f',
    agentId: '1000002',
    publicUrl: 'https://portal.example.com/portal',
    homepageUrl: HOMEPAGE_URL,
    trustedDomain: 'portal.example.com',
    loginCallbackDomain: 'portal.example.com',
    callbackUrl: 'https://portal.example.com/portal/wecom/callback',
    callbackTokenSet: false,
    callbackAesKeySet: false,
    egressIp: { ip: '115.227.127.185', seenAt: '2026-11-20T02:15:00.000Z' },
    domainWarnings: [],
    ...over,
  })
}

export function verifyFile(over: Partial<VerifyFile> = {}): VerifyFile {
  return valid(verifyFileSchema, {
    name: 'WW_verify_Ab3dE5fG7hJ9kL1m.txt',
    content: 'Ab3dE5fG7hJ9kL1m',
    uploadedAt: '2026-11-19T08:00:00.000Z',
    uploadedBy: 'zhangsan',
    source: 'stored',
    ...over,
  })
}

const field = (f: Partial<SettingField> & Pick<SettingField, 'key' | 'envVar'>): SettingField => ({
  secret: false,
  set: true,
  source: 'stored',
  locked: false,
  ...f,
})

export function settingsView(over: Partial<SettingsView> = {}, fields: Partial<Record<SettingField['key'], Partial<SettingField>>> = {}): SettingsView {
  const base: SettingField[] = [
    field({ key: 'corpId', envVar: 'WECOM_CORP_ID', value: 'ww7c5e0a1b2c3d4e5f' }),
    field({ key: 'agentId', envVar: 'WECOM_AGENT_ID', value: '1000002' }),
    field({ key: 'secret', envVar: 'WECOM_SECRET', secret: true, masked: '••••3f9a', source: 'env', locked: true }),
    field({ key: 'contactSecret', envVar: 'WECOM_CONTACT_SECRET', secret: true, masked: '••••77c1' }),
    field({ key: 'apiBase', envVar: 'WECOM_API_BASE', value: 'https://qyapi.weixin.qq.com', source: 'default' }),
    field({ key: 'callbackToken', envVar: 'WECOM_CALLBACK_TOKEN', secret: true, set: false, source: 'default' }),
    field({ key: 'callbackAesKey', envVar: 'WECOM_CALLBACK_AES_KEY', secret: true, set: false, source: 'default' }),
    field({ key: 'syncCron', envVar: 'SYNC_CRON', value: '10 0/10 * * * ?', source: 'default' }),
    field({ key: 'forceSyncCron', envVar: 'FORCE_SYNC_CRON', value: '10 45 8,12 * * ?', source: 'file', locked: true }),
    field({ key: 'approvalCron', envVar: 'APPROVAL_SYNC_CRON', value: '30 0/5 * * * ?', source: 'default' }),
    field({ key: 'messageEnable', envVar: 'MESSAGE_ENABLE', value: true, source: 'default' }),
    field({ key: 'rolePolicy', envVar: 'ROLE_POLICY', value: 'all-members', source: 'default' }),
    field({ key: 'logLevel', envVar: 'LOG_LEVEL', value: 'info', source: 'default' }),
  ].map((f) => ({ ...f, ...fields[f.key] }))
  return valid(settingsViewSchema, {
    fields: base,
    keyPersistent: true,
    updatedAt: '2026-11-18T06:30:00.000Z',
    updatedBy: 'zhangsan',
    ...over,
  })
}

export function doctorCheck(over: Partial<DoctorCheck> & Pick<DoctorCheck, 'id'>): DoctorCheck {
  return {
    title: { zh: '检查', en: 'Check' },
    status: 'ok',
    summary: { zh: '正常', en: 'Fine' },
    ms: 12,
    ...over,
  }
}

export function doctorReport(checks?: DoctorCheck[], over: Partial<DoctorReport> = {}): DoctorReport {
  const list = checks ?? [
    doctorCheck({ id: 'config', title: { zh: '配置', en: 'Configuration' }, summary: { zh: '企业ID、AgentId 和 Secret 都已设置。', en: 'Corp ID, AgentId and Secret are set.' }, ms: 1 }),
    doctorCheck({
      id: 'trustedIp',
      title: { zh: '企业可信IP', en: 'Trusted IP' },
      status: 'fail',
      summary: { zh: '企业微信拒绝了来自 115.227.127.185 的访问。', en: 'WeCom refused calls from 115.227.127.185.' },
      fix: { zh: '在应用详情 → 企业可信IP 中加入 115.227.127.185。', en: 'Add 115.227.127.185 under App details → Trusted IPs.' },
      errcode: 60020,
      ms: 184,
    }),
    doctorCheck({
      id: 'verifyFile',
      title: { zh: '域名校验文件', en: 'Verification file' },
      status: 'warn',
      summary: { zh: '还没有上传 WW_verify 文件。', en: 'No WW_verify file uploaded yet.' },
      fix: { zh: '在接入向导第 3 步上传。', en: 'Upload it in step 3 of the setup guide.' },
      ms: 3,
    }),
    doctorCheck({ id: 'testMessage', title: { zh: '测试消息', en: 'Test message' }, status: 'skip', summary: { zh: '未要求发送。', en: 'Not requested.' }, ms: 0 }),
  ]
  return valid(doctorReportSchema, { ranAt: '2026-11-21T01:30:00.000Z', ok: !list.some((c) => c.status === 'fail'), checks: list, ...over })
}

export type Handler = (init: RequestInit | undefined, url: string) => Response | Promise<Response>

/** A fetch stand-in routing on "METHOD /path" (path without query); unknown routes answer 404. */
export function adminFetch(routes: Record<string, Handler>): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const url = String(input)
    const method = (init?.method ?? 'GET').toUpperCase()
    const path = new URL(url, 'http://localhost').pathname
    const handler = routes[`${method} ${path}`]
    if (!handler) return jsonResponse(404, { error: { code: 'not_found', message: `no stub for ${method} ${path}` } })
    return handler(init, url)
  }
}

/** The JSON bodies sent to one route, parsed. */
export function sentBodies(calls: readonly (readonly unknown[])[], method: string, path: string): unknown[] {
  return calls
    .filter(([input, init]) => ((init as RequestInit | undefined)?.method ?? 'GET') === method && new URL(String(input), 'http://localhost').pathname === path)
    .map(([, init]) => {
      const body = (init as RequestInit | undefined)?.body
      return typeof body === 'string' ? (JSON.parse(body) as unknown) : undefined
    })
}
