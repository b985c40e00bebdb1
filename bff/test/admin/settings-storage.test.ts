import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSettingsCipher } from '../../src/admin/settings/crypto'
import type { Db } from '../../src/db'
import { SANDBOX_DEFAULTS } from '../../src/sandbox'
import { pgliteTestDb } from '../helpers/test-db'
import { listenSandbox, resetSettings, sandboxCorp, settingRows, settingsRig, testConfig, wecomInEffect } from './settings-helpers'

const CONTACT = SANDBOX_DEFAULTS.contactSecret
const TOKEN = 'CallbackToken0123456789'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

describe('settings at rest', () => {
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

  /** A rig with the sandbox corp and every secret saved. */
  async function saved() {
    const rig = await settingsRig({ db: await resetSettings(db) })
    await rig.settings.save({ ...sandboxCorp(sb.url), contactSecret: CONTACT, callbackToken: TOKEN, callbackAesKey: AES_KEY, syncCron: '0 0/30 * * * ?' }, 'zhangsan')
    return rig
  }

  it('treats a stored secret that no longer decrypts as unset: logged without its value, shown with a problem', async () => {
    const rig = await saved()
    // Someone edits the row (or restores a backup from another key): one byte of the ciphertext differs.
    const [row] = await db.query<{ value: string }>("select value from settings where key = 'contactSecret'")
    const parts = row!.value.split('.')
    parts[2] = Buffer.from(Buffer.from(parts[2]!, 'base64url').map((b, i) => (i === 0 ? b ^ 0x80 : b))).toString('base64url')
    await db.query("update settings set value = $1 where key = 'contactSecret'", [parts.join('.')])
    await db.query('update settings_version set version = version + 1')
    expect(await rig.settings.apply()).toEqual(['contactSecret'])
    expect(rig.settings.get('contactSecret')).toBeUndefined()
    const field = (await rig.settings.view()).fields.find((f) => f.key === 'contactSecret')!
    expect(field).toMatchObject({ set: false, source: 'default', problem: expect.stringMatching(/cannot be decrypted/) })
    expect(field.masked).toBeUndefined()
    const warning = rig.lines.find((l) => l.includes('cannot be decrypted'))
    expect(warning).toMatch(/"setting":"contactSecret"/)
    expect(rig.lines.join('\n')).not.toContain(CONTACT)
    expect(rig.lines.join('\n')).not.toContain(parts.join('.'))

    // Another instance with another SETTINGS_KEY cannot read any of the secrets either.
    const other = await settingsRig({ db, config: testConfig({ SETTINGS_KEY: 'another-settings-key-0123456789abcdef' }) })
    await other.settings.apply()
    expect(wecomInEffect(other.settings)).toMatchObject({ corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, secret: '', callbackToken: undefined, callbackAesKey: undefined })
    expect(other.settings.get('syncCron')).toBe('0 0/30 * * * ?')
    const problems = (await other.settings.view()).fields.filter((f) => f.problem).map((f) => f.key)
    expect(problems.sort()).toEqual(['callbackAesKey', 'callbackToken', 'contactSecret', 'secret'])
  })

  it('keeps secrets encrypted in the settings table and everything else in plain text', async () => {
    const rig = await saved()
    const rows = await settingRows(db)
    const dump = JSON.stringify(rows)
    for (const secret of [SANDBOX_DEFAULTS.secret, CONTACT, TOKEN, AES_KEY]) expect(dump).not.toContain(secret)
    const byKey = new Map(rows.map((r) => [r.key, r]))
    const cipher = createSettingsCipher(rig.config.settingsKey.key)
    for (const [key, plain] of [['secret', SANDBOX_DEFAULTS.secret], ['contactSecret', CONTACT], ['callbackToken', TOKEN], ['callbackAesKey', AES_KEY]] as const) {
      expect(byKey.get(key)).toMatchObject({ encrypted: true, value: expect.stringMatching(/^v1\./), updated_by: 'zhangsan' })
      expect(cipher.decrypt(key, byKey.get(key)!.value)).toBe(plain)
    }
    expect(byKey.get('corpId')).toMatchObject({ encrypted: false, value: SANDBOX_DEFAULTS.corpId })
    expect(byKey.get('syncCron')).toMatchObject({ encrypted: false, value: '0 0/30 * * * ?' })
  })

  it('never shows a secret in full: dots and the last 4 characters', async () => {
    const rig = await saved()
    const view = await rig.settings.view()
    const text = JSON.stringify(view)
    for (const secret of [SANDBOX_DEFAULTS.secret, CONTACT, TOKEN, AES_KEY]) expect(text).not.toContain(secret)
    const f = new Map(view.fields.map((x) => [x.key, x]))
    expect(f.get('secret')).toEqual({ key: 'secret', secret: true, set: true, masked: `••••${SANDBOX_DEFAULTS.secret.slice(-4)}`, source: 'stored', locked: false, envVar: 'WECOM_SECRET' })
    expect(f.get('callbackAesKey')?.masked).toBe('••••DEFG')
    expect(f.get('corpId')).toMatchObject({ value: SANDBOX_DEFAULTS.corpId, source: 'stored', secret: false })
    expect(f.get('forceSyncCron')).toMatchObject({ value: '10 45 8,12 * * ?', source: 'default' })
    expect(f.get('messageEnable')).toMatchObject({ value: true, source: 'default' })
    // Asking members for their contact details is off until an admin turns it on.
    expect(f.get('contactConsent')).toMatchObject({ value: false, source: 'default', envVar: 'CONTACT_CONSENT' })
    expect(view).toMatchObject({ keyPersistent: true, updatedBy: 'zhangsan', updatedAt: expect.any(String) })
    expect(view.fields.map((x) => x.key)).toHaveLength(16)
    expect(f.get('hostDisplayNames')).toMatchObject({ value: 'demo-host=示例 OA', source: 'sandbox', envVar: 'HOST_DISPLAY_NAMES' })
    expect(f.get('timeZone')).toMatchObject({ value: 'Asia/Shanghai', source: 'default', envVar: 'CORP_TIME_ZONE' })
  })

  it('restores the default when a stored value is cleared', async () => {
    const rig = await saved()
    await rig.settings.save({ syncCron: null, contactSecret: null, callbackToken: '' }, 'zhangsan')
    expect(rig.settings.get('syncCron')).toBe('10 0/10 * * * ?')
    expect(rig.settings.get('contactSecret')).toBeUndefined()
    expect(rig.settings.get('callbackToken')).toBeUndefined()
    expect((await settingRows(db)).map((r) => r.key)).not.toContain('syncCron')
    const f = new Map((await rig.settings.view()).fields.map((x) => [x.key, x]))
    expect(f.get('syncCron')).toMatchObject({ source: 'default', value: '10 0/10 * * * ?' })
    expect(f.get('contactSecret')).toMatchObject({ source: 'default', set: false })
  })

  it('says when the key is invented for this run (secrets lost at restart)', async () => {
    const rig = await settingsRig({ db: await resetSettings(db), config: testConfig({ SESSION_SECRET: '' }) })
    expect((await rig.settings.view()).keyPersistent).toBe(false)
  })
})
