import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/app-env'
import { callbackRoutes } from '../../src/callbacks'
import type { Db } from '../../src/db'
import { createCallbackCrypto, type CallbackCrypto } from '../../src/wecom/callback-crypto'
import { pgliteTestDb } from '../helpers/test-db'
import { doctor, doctorSetup } from './doctor-helpers'
import { SANDBOX_DEFAULTS } from '../../src/sandbox'

// The callback check reads what the real callback routes recorded; the routes follow
// the runtime settings (the console may change the Token, key or corp).

const TOKEN = 'DoctorCallbackToken01'
const KEY = 'DoctorEncodingAesKey0123456789abcdefghijklm'
const OTHER_KEY = 'OtherEncodingAesKey0123456789abcdefghijklmn'
const tick = () => new Promise((r) => setTimeout(r, 3))

const sealer = (token: string, encodingAesKey: string, receiveId: string = SANDBOX_DEFAULTS.corpId): CallbackCrypto => createCallbackCrypto({ token, encodingAesKey, receiveId })

let db: Db
beforeAll(async () => {
  db = await pgliteTestDb()
})
afterAll(() => db.close())
beforeEach(async () => {
  await db.exec('delete from health_marks')
})

function stack(env: Record<string, string> = { WECOM_CALLBACK_TOKEN: TOKEN, WECOM_CALLBACK_AES_KEY: KEY }) {
  const s = doctorSetup({ db, env })
  const routes = new Hono<AppEnv>().route('/', callbackRoutes({ settings: s.settings, db, log: s.ctx.log, now: Date.now, marks: s.marks }, { wake() {} }))
  /** WeCom's URL check on Save, sealed with the console's values. */
  const verify = (crypto: CallbackCrypto) => {
    const echostr = crypto.encrypt('5927324312840958')
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = String(Math.floor(Math.random() * 1e9))
    const q = new URLSearchParams({ msg_signature: crypto.signature(timestamp, nonce, echostr), timestamp, nonce, echostr })
    return routes.request(`/wecom/callback?${q.toString()}`)
  }
  return { ...s, verify }
}

describe('callback check', () => {
  it('warns when no Token/EncodingAESKey is set, with the URL to paste', async () => {
    const c = (await doctor(stack({}).ctx)).check('callback')
    expect(c.status).toBe('warn')
    expect(c.fix!.en).toContain('https://portal.example.com/wecom/callback')
    expect(c.fix!.zh).toContain('接收消息 → 设置API接收')
  })

  it('warns when WeCom has never checked the URL', async () => {
    const c = (await doctor(stack().ctx)).check('callback')
    expect(c.status).toBe('warn')
    expect(c.summary.en).toContain('No callback or URL check')
  })

  it('fails naming the Token when WeCom signs with another one', async () => {
    const s = stack()
    expect((await s.verify(sealer('SomeOtherToken', KEY))).status).toBe(403)
    const c = (await doctor(s.ctx)).check('callback')
    expect(c.status).toBe('fail')
    expect(c.summary.en).toContain('the Token in WeCom\'s console differs')
    expect(c.fix!.zh).toContain('请核对 Token')
  })

  it('fails naming the EncodingAESKey when WeCom seals with another one', async () => {
    const s = stack()
    expect((await s.verify(sealer(TOKEN, OTHER_KEY))).status).toBe(400)
    const c = (await doctor(s.ctx)).check('callback')
    expect(c.status).toBe('fail')
    expect(c.summary.en).toContain('EncodingAESKey in WeCom\'s console differs')
  })

  it('fails when callbacks are sealed for another corp', async () => {
    const s = stack()
    expect((await s.verify(sealer(TOKEN, KEY, 'wwSomeOtherCorp'))).status).toBe(403)
    expect((await doctor(s.ctx)).check('callback').summary.en).toContain('another corp')
  })

  it('passes once a verification succeeds after the failure', async () => {
    const s = stack()
    await s.verify(sealer('SomeOtherToken', KEY))
    await tick()
    const res = await s.verify(sealer(TOKEN, KEY))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('5927324312840958')
    const c = (await doctor(s.ctx)).check('callback')
    expect(c.status).toBe('ok')
    expect(c.summary.en).toContain('URL check passed')
  })

  it('warns about callbacks given up after repeated failures, naming the latest and its error', async () => {
    const s = stack()
    expect((await s.verify(sealer(TOKEN, KEY))).status).toBe(200)
    const park = (hash: string, at: string, error: string, attempts = 5) =>
      db.query(
        `insert into callback_events (hash, received_at, msg_type, event, change_type, plaintext, attempts, last_error) values ($1, $2, 'event', 'change_contact', 'update_user', '<xml/>', $3, $4)`,
        [hash, at, attempts, error],
      )
    try {
      // Still being retried (4 failures): not given up yet.
      await park('retrying', '2026-12-03T02:00:00Z', 'user/get: errcode 45009', 4)
      expect((await doctor(s.ctx)).check('callback').status).toBe('ok')
      await park('older', '2026-12-01T02:00:00Z', `user/get: errcode 60011 ${'x'.repeat(1990)}`)
      await park('newest', '2026-12-02T02:00:00Z', 'user/get: errcode 60111 userid not found')
      const c = (await doctor(s.ctx)).check('callback')
      expect(c.status).toBe('warn')
      expect(c.summary.en).toContain('2 callback(s) given up after repeated failures')
      expect(c.summary.en).toContain('change_contact/update_user): user/get: errcode 60111 userid not found')
      expect(c.summary.zh).toContain('2 条回调多次处理失败后已放弃')
      expect(c.summary.en).toContain('URL check passed')
      expect(c.fix!.en).toContain('the next directory sync brings their directory changes')
      // A long error is cut for the page.
      await db.query(`update callback_events set last_error = $1 where hash = 'newest'`, [`user/get: ${'y'.repeat(1990)}`])
      const long = (await doctor(s.ctx)).check('callback').summary.en
      expect(long).toContain(`user/get: ${'y'.repeat(190)}…`)
      expect(long.length).toBeLessThan(400)
    } finally {
      await db.query(`delete from callback_events where hash in ('retrying', 'older', 'newest')`)
    }
    expect((await doctor(s.ctx)).check('callback').status).toBe('ok')
  })
})

describe('callback routes follow the settings at run time', () => {
  it('use a new Token and EncodingAESKey as soon as a console save changes them', async () => {
    const s = stack()
    expect((await s.verify(sealer(TOKEN, KEY))).status).toBe(200)
    s.settings.set('callbackToken', 'RotatedToken')
    s.settings.set('callbackAesKey', OTHER_KEY)
    expect((await s.verify(sealer(TOKEN, KEY))).status).toBe(403)
    expect((await s.verify(sealer('RotatedToken', OTHER_KEY))).status).toBe(200)
    s.settings.set('callbackAesKey', undefined)
    expect((await s.verify(sealer('RotatedToken', OTHER_KEY))).status).toBe(503)
  })

  it('refuse every callback while the key is malformed, and recover when it is fixed', async () => {
    const s = stack()
    s.settings.set('callbackAesKey', 'too-short')
    expect((await s.verify(sealer(TOKEN, KEY))).status).toBe(503)
    s.settings.set('callbackAesKey', KEY)
    expect((await s.verify(sealer(TOKEN, KEY))).status).toBe(200)
  })
})
