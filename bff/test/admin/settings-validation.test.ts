import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../src/sandbox'
import type { Db } from '../../src/db'
import { pgliteTestDb } from '../helpers/test-db'
import { failure, gettokenCalls, listenSandbox, resetSettings, sandboxCorp, settingRows, settingsRig, wecomInEffect } from './settings-helpers'

type Rig = Awaited<ReturnType<typeof settingsRig>>

describe('saving settings: every check runs before anything is written', () => {
  let sb: Awaited<ReturnType<typeof listenSandbox>>
  let db: Db
  beforeAll(async () => {
    sb = await listenSandbox()
    db = await pgliteTestDb()
  })
  afterAll(async () => {
    await sb.close()
    await db.close()
  })
  const rigFor = async (env?: Record<string, string>) => settingsRig({ env, db: await resetSettings(db) })

  /** Refused: a 400 with the field named, no row, config as it was. */
  async function refused(rig: Rig, update: Record<string, unknown>) {
    const before = JSON.stringify(rig.config)
    const rowsBefore = await settingRows(rig.db)
    const err = await failure(rig.settings.save(update as never, 'zhangsan'))
    expect(err.code).toBe('bad_request')
    expect(await settingRows(rig.db)).toEqual(rowsBefore)
    expect(JSON.stringify(rig.config)).toBe(before)
    expect(await rig.db.query("select 1 from admin_audit where action = 'settings'")).toHaveLength(rowsBefore.length ? 1 : 0)
    return err.fields
  }

  it('refuses a Secret WeCom rejects (40001), having really asked WeCom for a token', async () => {
    const rig = await rigFor()
    const calls = gettokenCalls(sb.sandbox)
    const fields = await refused(rig, { ...sandboxCorp(sb.url), secret: 'NotTheAppSecret-0123456789' })
    expect(Object.keys(fields)).toEqual(['secret'])
    expect(fields.secret).toMatch(/40001/)
    expect(fields.secret).not.toContain('NotTheAppSecret')
    expect(gettokenCalls(sb.sandbox)).toBe(calls + 1)
  })

  it('refuses a CorpID WeCom does not know (40013)', async () => {
    const fields = await refused(await rigFor(), { ...sandboxCorp(sb.url), corpId: 'ww0000000000000000' })
    expect(Object.keys(fields)).toEqual(['corpId'])
    expect(fields.corpId).toMatch(/40013/)
  })

  it('refuses an API base that cannot be reached, naming it', async () => {
    const fields = await refused(await rigFor(), { ...sandboxCorp('http://127.0.0.1:1') })
    expect(Object.keys(fields)).toEqual(['apiBase'])
    expect(fields.apiBase).toMatch(/^http:\/\/127\.0\.0\.1:1 could not be reached/)
  })

  it("refuses an AgentId that is not the Secret's app (agent/get → 301002), and one that is not a number", async () => {
    const rig = await rigFor()
    const fields = await refused(rig, { ...sandboxCorp(sb.url), agentId: '1000003' })
    expect(Object.keys(fields)).toEqual(['agentId'])
    expect(fields.agentId).toMatch(/301002/)
    expect(sb.sandbox.state.calls.get('/cgi-bin/agent/get')).toBeGreaterThan(0)
    expect((await refused(rig, { ...sandboxCorp(sb.url), agentId: 'app-1' })).agentId).toMatch(/digits only/)
  })

  it('refuses a malformed cron, EncodingAESKey and Token all at once, without asking WeCom', async () => {
    const rig = await rigFor()
    const calls = gettokenCalls(sb.sandbox)
    const fields = await refused(rig, {
      ...sandboxCorp(sb.url),
      syncCron: 'every ten minutes',
      forceSyncCron: '10 45 8,12 * * ?',
      callbackAesKey: 'tooShort0123',
      callbackToken: 'has spaces and !',
      messageEnable: 'yes',
      rolePolicy: 'everyone',
      apiBase: 'ftp://example.com',
    })
    expect(Object.keys(fields).sort()).toEqual(['apiBase', 'callbackAesKey', 'callbackToken', 'messageEnable', 'rolePolicy', 'syncCron'])
    expect(fields.syncCron).toMatch(/Quartz/)
    expect(fields.callbackAesKey).toMatch(/43/)
    expect(gettokenCalls(sb.sandbox)).toBe(calls)
  })

  it('refuses unknown keys and wrong types', async () => {
    const fields = await refused(await rigFor(), { corpSecret: 'x', syncCron: 5 })
    expect(Object.keys(fields).sort()).toEqual(['corpSecret', 'syncCron'])
  })

  it('refuses settings env pins, naming the env var, and saves nothing else of that request', async () => {
    const rig = await rigFor({ WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId, WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId, WECOM_SECRET: SANDBOX_DEFAULTS.secret, WECOM_API_BASE: sb.url, MESSAGE_ENABLE: 'true' })
    const fields = await refused(rig, { secret: 'AnotherSecret-0123456789', messageEnable: false, syncCron: '0 0/30 * * * ?' })
    expect(fields).toEqual({ secret: expect.stringMatching(/^Set by WECOM_SECRET \(environment\)/), messageEnable: expect.stringMatching(/^Set by MESSAGE_ENABLE/) })
  })

  it('needs the AgentId and Secret with a CorpID', async () => {
    const fields = await refused(await rigFor(), { corpId: SANDBOX_DEFAULTS.corpId })
    expect(Object.keys(fields).sort()).toEqual(['agentId', 'secret'])
  })

  it('refuses a contact-sync Secret WeCom rejects', async () => {
    const rig = await rigFor()
    await rig.settings.save(sandboxCorp(sb.url), 'zhangsan')
    const fields = await refused(rig, { contactSecret: 'NotTheContactSecret-0123' })
    expect(Object.keys(fields)).toEqual(['contactSecret'])
    expect(fields.contactSecret).toMatch(/40001/)
  })

  it('saves a corp WeCom accepts, applies it and audits the keys (never the values)', async () => {
    const rig = await rigFor()
    const view = await rig.settings.save({ ...sandboxCorp(`${sb.url}/`), contactSecret: SANDBOX_DEFAULTS.contactSecret }, 'zhangsan')
    expect(view.restartRequired).toBeUndefined()
    expect(wecomInEffect(rig.settings)).toMatchObject({ corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, secret: SANDBOX_DEFAULTS.secret, contactSecret: SANDBOX_DEFAULTS.contactSecret, apiBase: sb.url })
    expect((await settingRows(rig.db)).map((r) => r.key)).toEqual(['agentId', 'apiBase', 'contactSecret', 'corpId', 'secret'])
    const audit = await rig.db.query<{ actor: string; target: string; detail: string | null }>("select actor, target, detail from admin_audit where action = 'settings'")
    expect(audit).toEqual([{ actor: 'zhangsan', target: 'corpId,agentId,secret,contactSecret,apiBase', detail: null }])
    expect(rig.lines.join('\n')).not.toContain(SANDBOX_DEFAULTS.secret)
    expect(rig.lines.join('\n')).not.toContain(SANDBOX_DEFAULTS.contactSecret)
  })

  it('lets a 60020 on agent/get through: gettoken proved the credentials, the doctor shows the IP', async () => {
    const closed = await listenSandbox({ ipAllowlist: [] })
    try {
      const rig = await rigFor()
      await rig.settings.save(sandboxCorp(closed.url), 'zhangsan')
      expect(rig.settings.get('corpId')).toBe(SANDBOX_DEFAULTS.corpId)
      expect(rig.lines.some((l) => l.includes('60020'))).toBe(true)
    } finally {
      await closed.close()
    }
  })

  it('asks WeCom nothing when only other settings change, and stores nothing when nothing changes', async () => {
    const rig = await rigFor()
    await rig.settings.save(sandboxCorp(sb.url), 'zhangsan')
    const calls = gettokenCalls(sb.sandbox)
    await rig.settings.save({ syncCron: '0 0/30 * * * ?', messageEnable: false, ...sandboxCorp(sb.url) }, 'lisi')
    expect(gettokenCalls(sb.sandbox)).toBe(calls)
    expect(rig.settings.get('syncCron')).toBe('0 0/30 * * * ?')
    expect(rig.settings.get('messageEnable')).toBe(false)
    await rig.settings.save({ syncCron: '0 0/30 * * * ?' }, 'wangwu')
    const audit = await rig.db.query<{ actor: string; target: string }>("select actor, target from admin_audit where action = 'settings' order by id")
    expect(audit).toEqual([
      { actor: 'zhangsan', target: 'corpId,agentId,secret,apiBase' },
      { actor: 'lisi', target: 'syncCron,messageEnable' },
    ])
  })
})
