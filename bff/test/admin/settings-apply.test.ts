import { WECOM_API_BASE, WECOM_LOGIN_BASE, WECOM_OAUTH_BASE, type SettingKey } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settleConfig } from '../../src/bootstrap'
import { freezeConfig, SANDBOX_HOST_KEY, type Config } from '../../src/config'
import type { Db } from '../../src/db'
import { createDeps } from '../../src/deps'
import type { Principal } from '../../src/auth/principal-cache'
import { createLogger } from '../../src/log'
import { SANDBOX_DEFAULTS } from '../../src/sandbox'
import { pgliteTestDb } from '../helpers/test-db'
import { listenSandbox, resetSettings, sandboxCorp, settingRows, settingsRig, testConfig, wecomInEffect } from './settings-helpers'

const OTHER = { corpId: 'wwf00dcafe00000001', agentId: '1000042', secret: 'OtherCorpSecret_0123456789abcdefghijklmnop' }

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('settings in effect', () => {
  let sb: Awaited<ReturnType<typeof listenSandbox>>
  let other: Awaited<ReturnType<typeof listenSandbox>>
  let db: Db
  beforeAll(async () => {
    ;[sb, other, db] = await Promise.all([listenSandbox(), listenSandbox(OTHER), pgliteTestDb()])
  })
  afterAll(async () => {
    await Promise.all([sb.close(), other.close()])
    await db.close()
  })
  /** A start on `loaded` as bootstrap does it: the config it runs with, and its settings service. */
  async function restart(loaded: Config, env: Record<string, string> = {}) {
    const { config, settings } = await settleConfig(loaded, { db, log: createLogger({ level: 'error', write: () => {} }), env })
    return { config, settings: settings! }
  }

  it('holds back another corp until a restart, and applies the rest of the same save', async () => {
    const a = await settingsRig({ db: await resetSettings(db) })
    await a.settings.save(sandboxCorp(sb.url), 'zhangsan')
    const view = await a.settings.save({ ...OTHER, apiBase: other.url, messageEnable: false }, 'zhangsan')
    expect(view.restartRequired).toBe(true)
    expect(wecomInEffect(a.settings)).toMatchObject({ corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, secret: SANDBOX_DEFAULTS.secret, apiBase: sb.url })
    expect(a.settings.get('messageEnable')).toBe(false)
    // The view shows what the restart will use.
    expect(view.fields.find((f) => f.key === 'corpId')).toMatchObject({ value: OTHER.corpId, source: 'stored' })
    expect((await settingRows(db)).find((r) => r.key === 'corpId')?.value).toBe(OTHER.corpId)

    // Another running instance holds it back the same way.
    // Running on the sandbox corp, as the first instance started.
    const running = testConfig()
    const b = await settingsRig({ db, config: { ...running, wecom: { ...running.wecom, corpId: SANDBOX_DEFAULTS.corpId } } })
    await b.settings.apply()
    expect(b.settings.get('corpId')).toBe(SANDBOX_DEFAULTS.corpId)
    expect((await b.settings.view()).restartRequired).toBe(true)

    // After a restart it is the corp in effect: WeCom mode, WeCom's defaults, nothing of the sandbox's.
    const loaded = testConfig()
    const restarted = await restart(loaded)
    expect(restarted.config.mode).toBe('wecom')
    expect(loaded.mode).toBe('sandbox')
    expect(wecomInEffect(restarted.settings)).toMatchObject({ ...OTHER, apiBase: other.url })
    expect(restarted.config.wecom).toMatchObject({ oauthBase: WECOM_OAUTH_BASE, loginBase: WECOM_LOGIN_BASE })
    expect((await restarted.settings.view()).restartRequired).toBeUndefined()
  })

  it('starts in WeCom mode with a stored corp: WeCom defaults, no demo host key, no demo admin', async () => {
    await resetSettings(db)
    const first = await restart(testConfig())
    expect(first.config.mode).toBe('sandbox')
    expect(first.config.roles.adminUserids).toEqual(['zhangsan'])
    expect(first.config.hostApiKeys.map((k) => k.key)).toContain(SANDBOX_HOST_KEY)
    // Saved while no corp ran (as on a first start), without an API base of its own.
    await db.exec(`insert into settings (key, value, encrypted, updated_at, updated_by) values ('corpId', '${OTHER.corpId}', false, now(), 'zhangsan')`)

    // Frozen going in: the decision produces a new config and writes nothing of the one it was given.
    const loaded = freezeConfig(testConfig())
    const { config, settings } = await restart(loaded)
    expect(config.mode).toBe('wecom')
    expect(wecomInEffect(settings)).toMatchObject({ corpId: OTHER.corpId, apiBase: WECOM_API_BASE })
    expect(config.wecom).toMatchObject({ oauthBase: WECOM_OAUTH_BASE, loginBase: WECOM_LOGIN_BASE })
    expect(config.roles.adminUserids).toEqual([])
    expect(config.hostApiKeys.map((k) => k.key)).not.toContain(SANDBOX_HOST_KEY)
    expect({ ...settings.get('hostDisplayNames') }).toEqual({})
    expect(config.approvalLinkTemplate).toMatch(/^https:\/\/app\.work\.weixin\.qq\.com\//)
    expect(Object.isFrozen(config)).toBe(true)
    expect(loaded).toMatchObject({ mode: 'sandbox', roles: { adminUserids: ['zhangsan'] } })

    // What env sets stays.
    const env = { ADMIN_USERIDS: 'wangwu', WECOM_OAUTH_BASE: 'https://oauth.example.com', HOST_API_KEYS: `oa:${SANDBOX_HOST_KEY}x`, HOST_DISPLAY_NAMES: 'oa=OA 审批' }
    const { config: pinned } = await restart(testConfig(env), env)
    expect(pinned.mode).toBe('wecom')
    expect(pinned.roles.adminUserids).toEqual(['wangwu'])
    expect(pinned.wecom.oauthBase).toBe('https://oauth.example.com')
    expect(pinned.hostApiKeys).toEqual([{ name: 'oa', key: `${SANDBOX_HOST_KEY}x` }])
    expect({ ...pinned.hostDisplayNames }).toEqual({ oa: 'OA 审批' })

    // A name stored in the console stays too.
    await db.exec(`insert into settings (key, value, encrypted, updated_at, updated_by) values ('hostDisplayNames', 'crm=客户系统', false, now(), 'zhangsan')`)
    const named = await restart(testConfig())
    expect(named.config.mode).toBe('wecom')
    expect({ ...named.settings.get('hostDisplayNames') }).toEqual({ crm: '客户系统' })
  })

  it('reaches another instance on the same database within its poll', async () => {
    const a = await settingsRig({ db: await resetSettings(db) })
    const b = await settingsRig({ db, config: testConfig(), pollMs: 50 })
    const seen: SettingKey[][] = []
    b.settings.onChange((keys) => seen.push(keys))
    b.settings.start()
    try {
      await a.settings.save({ syncCron: '0 0/20 * * * ?', contactSecret: null, messageEnable: false }, 'zhangsan')
      await until(() => seen.length > 0)
      expect(seen).toEqual([['syncCron', 'messageEnable']])
      expect(b.settings.get('syncCron')).toBe('0 0/20 * * * ?')
      expect(b.settings.get('messageEnable')).toBe(false)
    } finally {
      b.settings.stop()
    }
  })

  it('moves the shared WeCom client and the cached roles to what was saved, without a restart', async () => {
    const config = testConfig()
    const deps = await createDeps(config, { db: await resetSettings(db), log: (await settingsRig({ db, config })).log })
    expect(deps.wecom.corpId).toBe('')
    deps.principals.set('session-1', { member: { userid: 'lisi' } } as unknown as Principal, Date.now())
    await deps.settings.save({ ...sandboxCorp(sb.url), rolePolicy: 'explicit' }, 'zhangsan')
    expect(deps.wecom.corpId).toBe(SANDBOX_DEFAULTS.corpId)
    const calls = sb.sandbox.state.calls.get('/cgi-bin/user/get') ?? 0
    expect((await deps.wecom.getUser('lisi')).name).toBe('李四')
    expect(sb.sandbox.state.calls.get('/cgi-bin/user/get')).toBe(calls + 1)
    expect(deps.settings.get('rolePolicy')).toBe('explicit')
    expect(config.roles.policy).toBe('all-members')
    expect(deps.principals.get('session-1', Date.now())).toBeUndefined()
  })
})
