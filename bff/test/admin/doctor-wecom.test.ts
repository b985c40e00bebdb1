import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { SANDBOX_DEFAULTS, TEST_IP_HEADER } from '../../src/sandbox'
import { createTokenCache, createWeComClient, WeComError } from '../../src/wecom'
import { pgliteTestDb } from '../helpers/test-db'
import { doctor, doctorSetup, EGRESS_IP, SANDBOX_BASE, text } from './doctor-helpers'

// The doctor's WeCom checks against the sandbox, one fault at a time. Failure paths first.

const WECOM_DEPENDENT = ['visibleRange', 'agent', 'jsapiTickets', 'approvalApi'] as const

describe('token', () => {
  it('fails on a wrong secret (40001), naming where the secret comes from and where to find the right one', async () => {
    const { ctx } = doctorSetup({ env: { WECOM_SECRET: 'not-the-app-secret' } })
    const r = await doctor(ctx)
    const token = r.check('token')
    expect(token).toMatchObject({ status: 'fail', errcode: 40001 })
    expect(token.summary.en).toContain('env WECOM_SECRET')
    expect(token.summary.zh).toContain('环境变量 WECOM_SECRET')
    expect(token.fix!.zh).toContain('应用管理 → 应用 → 本应用 → Secret')
    expect(r.ok).toBe(false)
    // Nothing that needs a token pretends to know more.
    for (const id of [...WECOM_DEPENDENT, 'trustedIp'] as const) expect(r.check(id).status, id).toBe('skip')
  })

  it('fails on a wrong CorpID (40013), pointing at 我的企业 → 企业信息', async () => {
    const { ctx, admin } = doctorSetup()
    await admin('faults', { path: '/cgi-bin/gettoken', errcode: 40013 })
    const token = (await doctor(ctx)).check('token')
    expect(token).toMatchObject({ status: 'fail', errcode: 40013 })
    expect(token.fix!.zh).toContain('我的企业 → 企业信息 → 企业ID')
  })

  it('fails when WeCom cannot be reached, naming the API base and HTTPS_PROXY', async () => {
    const { ctx } = doctorSetup({ env: { WECOM_API_BASE: 'http://127.0.0.1:9' } })
    // A real client with nothing behind the port.
    ctx.client = (secret) => createWeComClient({ apiBase: ctx.config.wecom.apiBase, corpId: ctx.config.wecom.corpId, secret, tokens: createTokenCache() })
    const token = (await doctor(ctx)).check('token')
    expect(token.status).toBe('fail')
    expect(token.summary.en).toContain('could not reach http://127.0.0.1:9')
    expect(token.fix!.en).toMatch(/WECOM_API_BASE.*HTTPS_PROXY/)
  })

  it('fails when the API base answers like a broken proxy (HTML 502)', async () => {
    const { ctx, admin } = doctorSetup()
    await admin('faults', { path: '/cgi-bin/gettoken', httpStatus: 502 })
    const token = (await doctor(ctx)).check('token')
    expect(token.status).toBe('fail')
    expect(token.summary.en).toContain(`${SANDBOX_BASE} answered HTTP 502`)
  })

  it('checks the contact-sync secret only when one is set', async () => {
    expect((await doctor(doctorSetup().ctx)).check('contactToken').status).toBe('skip')
    const bad = (await doctor(doctorSetup({ env: { WECOM_CONTACT_SECRET: 'wrong-contact-secret' } }).ctx)).check('contactToken')
    expect(bad).toMatchObject({ status: 'fail', errcode: 40001 })
    expect(bad.summary.en).toContain('WECOM_CONTACT_SECRET')
    expect(bad.fix!.zh).toContain('管理工具 → 通讯录同步')
    expect((await doctor(doctorSetup({ env: { WECOM_CONTACT_SECRET: SANDBOX_DEFAULTS.contactSecret } }).ctx)).check('contactToken').status).toBe('ok')
  })
})

describe('trusted IP', () => {
  let db: Db
  beforeAll(async () => {
    db = await pgliteTestDb()
  })
  afterAll(() => db.close())

  it('fails with the IP WeCom saw (60020), remembers it, and holds back the checks it blocks', async () => {
    const { ctx, admin, marks } = doctorSetup({ db })
    await admin('settings', { ipAllowlist: ['198.51.100.1'] })
    const r = await doctor(ctx)
    const ip = r.check('trustedIp')
    expect(ip).toMatchObject({ status: 'fail', errcode: 60020 })
    expect(ip.summary.en).toContain(EGRESS_IP)
    expect(ip.fix!.zh).toContain(`请把 ${EGRESS_IP} 加到 应用管理 → 应用 → 本应用 → 企业可信IP`)
    expect(r.check('token').status).toBe('ok')
    for (const id of WECOM_DEPENDENT) expect(r.check(id).summary.en, id).toContain('Trusted IP')
    const mark = (await marks!.read()).get('ip_rejected')
    expect(mark?.detail).toEqual({ ip: EGRESS_IP, path: '/cgi-bin/department/simplelist' })
  })

  it('passes once the IP is trusted', async () => {
    const { ctx, admin } = doctorSetup()
    await admin('settings', { ipAllowlist: [EGRESS_IP] })
    expect((await doctor(ctx)).check('trustedIp').status).toBe('ok')
  })
})

describe('visible range', () => {
  it('fails when the range is empty, saying where to change it', async () => {
    const { ctx, admin } = doctorSetup()
    await admin('settings', { visibleRange: { departments: [], users: [] } })
    const range = (await doctor(ctx)).check('visibleRange')
    expect(range.status).toBe('fail')
    expect(range.summary.en).toContain('empty')
    expect(range.summary.en).toContain('0 department(s), 0 member(s)')
    expect(range.fix!.zh).toContain('应用管理 → 应用 → 本应用 → 可见范围')
  })

  it('warns when only one member (the admin, a new app\'s default) is in it', async () => {
    const { ctx, admin } = doctorSetup()
    await admin('settings', { visibleRange: { departments: [], users: ['zhangsan'] } })
    const range = (await doctor(ctx)).check('visibleRange')
    expect(range.status).toBe('warn')
    expect(text(range)).toContain('suspiciously small')
  })

  it('without the database (the CLI while the server runs) claims nothing about the sync; with it, says when none ran', async () => {
    const blind = (await doctor(doctorSetup().ctx)).check('visibleRange')
    expect(blind.summary.en).not.toContain('has not been synced')
    expect(blind.summary.en).toContain('the sync was not checked (the running server holds the database')
    expect(blind.summary.zh).toContain('同步情况未检查')
    const db = await pgliteTestDb()
    try {
      const fresh = (await doctor(doctorSetup({ db }).ctx)).check('visibleRange')
      expect(fresh.summary.en).toContain('the directory has not been synced yet')
    } finally {
      await db.close()
    }
  })

  it('is fine with the whole company, counting what the app sees', async () => {
    const range = (await doctor(doctorSetup().ctx)).check('visibleRange')
    expect(range.status).toBe('ok')
    expect(range.summary.en).toMatch(/1 department\(s\), 0 member\(s\).*the app sees \d+ department/)
  })
})

describe('agent, approvals, tickets', () => {
  it('fails when the AgentId is not the app of the secret (301002)', async () => {
    const agent = (await doctor(doctorSetup({ env: { WECOM_AGENT_ID: '1000099' } }).ctx)).check('agent')
    expect(agent).toMatchObject({ status: 'fail', errcode: 301002 })
    expect(agent.summary.en).toContain('AgentId 1000099 does not belong')
  })

  it('fails when the app may not call the approval API, naming 审批 → API → 可调用接口的应用', async () => {
    const { ctx, admin } = doctorSetup()
    await admin('faults', { path: '/cgi-bin/oa/getapprovalinfo', errcode: 48002 })
    const approval = (await doctor(ctx)).check('approvalApi')
    expect(approval).toMatchObject({ status: 'fail', errcode: 48002 })
    expect(approval.fix!.zh).toContain('应用管理 → 审批 → API → 可调用接口的应用')
  })

  it('fails when a JS-SDK ticket cannot be had, with the errcode and its hint', async () => {
    const { ctx, admin } = doctorSetup()
    await admin('faults', { path: '/cgi-bin/ticket/get', errcode: 42012 })
    const tickets = (await doctor(ctx)).check('jsapiTickets')
    expect(tickets).toMatchObject({ status: 'fail', errcode: 42012 })
    expect(tickets.summary.en).toContain('app ticket')
    expect(tickets.fix!.en).toContain('agent_config')
  })
})

describe('test message', () => {
  it('is only sent when asked', async () => {
    const { ctx, sandbox } = doctorSetup({ testMessageTo: 'lisi' })
    expect((await doctor(ctx)).check('testMessage').status).toBe('skip')
    expect(sandbox.state.messages.sends).toHaveLength(0)
  })

  it('fails when WeCom does not deliver to the admin (outside the visible range)', async () => {
    const { ctx, admin } = doctorSetup({ testMessageTo: 'lisi' })
    await admin('settings', { visibleRange: { departments: [], users: ['zhangsan', 'wangwu'] } })
    const msg = (await doctor(ctx, { testMessage: true })).check('testMessage')
    expect(msg.status).toBe('fail')
    expect(msg.summary.en).toContain('invaliduser')
  })

  it('sends a text to the admin when asked', async () => {
    const { ctx, sandbox } = doctorSetup({ testMessageTo: 'lisi' })
    const r = await doctor(ctx, { testMessage: true })
    expect(r.check('testMessage')).toMatchObject({ status: 'ok' })
    expect(r.check('testMessage').summary.en).toContain('lisi')
    expect(sandbox.state.messages.inbox.get('lisi')?.map((m) => m.payload)).toEqual([expect.objectContaining({ msgtype: 'text' })])
  })
})

describe('a healthy corp', () => {
  it('passes every WeCom check, each timed', async () => {
    const r = await doctor(doctorSetup().ctx)
    for (const id of ['token', 'trustedIp', 'visibleRange', 'agent', 'jsapiTickets', 'approvalApi'] as const) {
      expect(r.check(id).status, `${id}: ${r.check(id).summary.en}`).toBe('ok')
      expect(Number.isInteger(r.check(id).ms)).toBe(true)
    }
  })
})

describe('the client onError hook (how marks learn of 60020s)', () => {
  const client = (s: ReturnType<typeof doctorSetup>, onError: (e: WeComError) => void) =>
    createWeComClient({ apiBase: SANDBOX_BASE, corpId: SANDBOX_DEFAULTS.corpId, secret: SANDBOX_DEFAULTS.secret, tokens: createTokenCache(), fetch: async (u, i) => s.sandbox.app.request(String(u), { ...i, headers: { [TEST_IP_HEADER]: EGRESS_IP } }), onError })

  it('sees every WeComError, the one a retry recovers from included, and changes no outcome', async () => {
    const s = doctorSetup()
    const seen: number[] = []
    await s.admin('faults', { path: '/cgi-bin/user/get', errcode: 40014, times: 1 })
    expect((await client(s, (e) => seen.push(e.errcode)).getUser('lisi')).userid).toBe('lisi')
    expect(seen).toEqual([40014])
    await s.admin('faults', { path: '/cgi-bin/gettoken', errcode: 40013 })
    await expect(client(s, (e) => seen.push(e.errcode)).accessToken()).rejects.toMatchObject({ errcode: 40013 })
    expect(seen).toEqual([40014, 40013])
  })

  it('cannot turn a WeCom answer into another error by throwing', async () => {
    const s = doctorSetup()
    await s.admin('faults', { path: '/cgi-bin/user/get', errcode: 60011 })
    const failing = client(s, () => {
      throw new Error('observer bug')
    })
    await expect(failing.getUser('lisi')).rejects.toBeInstanceOf(WeComError)
    await expect(failing.getUser('lisi')).rejects.toMatchObject({ errcode: 60011 })
  })
})
