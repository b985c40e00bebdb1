import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { saveVerifyFile } from '../../src/admin/verify-file-store'
import type { Db } from '../../src/db'
import { createRun, emptyCounts, finishRun } from '../../src/directory/sync-runs'
import { enqueueNotification } from '../../src/notify/enqueue'
import { createOutboxWorker } from '../../src/notify/worker'
import { settingsOf } from '../../src/admin/settings/runtime'
import { createTokenCache, createWeComClient } from '../../src/wecom'
import { pgliteTestDb } from '../helpers/test-db'
import { doctor, doctorConfig, doctorSetup, text } from './doctor-helpers'

// The checks that read what the app recorded (marks, verify files, sync runs, the outbox).

const FILE = { name: 'WW_verify_AbCdEfGh12345678.txt', content: 'k9X2mQ7pL4sT8vW1' }
const tick = () => new Promise((r) => setTimeout(r, 3))

let db: Db
beforeAll(async () => {
  db = await pgliteTestDb()
})
afterAll(() => db.close())
beforeEach(async () => {
  await db.exec('delete from health_marks; delete from verify_files; delete from sync_runs; delete from outbox')
})

describe('config', () => {
  it('warns when PUBLIC_URL is a bare IP or plain http, saying what WeCom needs', async () => {
    const c = (await doctor(doctorSetup({ env: { PUBLIC_URL: 'http://10.1.2.3:8080' } }).ctx)).check('config')
    expect(c.status).toBe('warn')
    expect(c.summary.en).toContain('IP address (10.1.2.3)')
    expect(c.summary.en).toContain('not https')
    expect(c.fix!.zh).toContain('PUBLIC_URL')
  })

  it('is fine on an https domain with a persistent settings key', async () => {
    expect((await doctor(doctorSetup().ctx)).check('config').status).toBe('ok')
  })

  it('says sandbox mode plainly', async () => {
    const { ctx } = doctorSetup()
    const sandboxMode = doctorConfig({ WECOM_CORP_ID: '' })
    expect(sandboxMode.mode).toBe('sandbox')
    const c = (await doctor({ ...ctx, config: { ...sandboxMode, wecom: ctx.config.wecom } })).check('config')
    expect(c.summary.en).toContain('Sandbox mode')
  })
})

describe('trusted domain', () => {
  it('fails when WeCom reports another trusted domain for the app', async () => {
    const d = (await doctor(doctorSetup({ db, sandbox: { trustedDomain: 'old.example.com' } }).ctx)).check('trustedDomain')
    expect(d.status).toBe('fail')
    expect(d.summary.en).toContain('old.example.com')
    expect(d.fix!.zh).toContain('填写 portal.example.com')
  })

  it('fails when a 50001 came after the last good sign-in, and passes once one succeeds again', async () => {
    const { ctx, marks } = doctorSetup({ db })
    marks!.record('oauth_ok', { userid: 'lisi' })
    await tick()
    marks!.record('oauth_domain_rejected', { domain: 'portal.example.com:8443' })
    const bad = (await doctor(ctx)).check('trustedDomain')
    expect(bad).toMatchObject({ status: 'fail', errcode: 50001 })
    expect(bad.summary.en).toContain('portal.example.com:8443')
    await tick()
    marks!.record('oauth_ok', { userid: 'lisi' })
    expect((await doctor(ctx)).check('trustedDomain').status).toBe('ok')
  })
})

describe('verify file', () => {
  it('warns when there is none, saying where to download it', async () => {
    const v = (await doctor(doctorSetup({ db }).ctx)).check('verifyFile')
    expect(v.status).toBe('warn')
    expect(v.fix!.zh).toContain('网页授权及JS-SDK')
  })

  it('fails when the public origin answers something else (a proxy serving the H5 instead)', async () => {
    await saveVerifyFile(db, { ...FILE, actor: 'zhangsan', at: new Date() })
    const { ctx } = doctorSetup({ db })
    const spa = new Hono().get('*', (c) => c.html('<!doctype html><title>portal</title>'))
    const v = (await doctor({ ...ctx, fetch: async (url, init) => spa.request(String(url), init) })).check('verifyFile')
    expect(v.status).toBe('fail')
    expect(v.summary.en).toContain(`https://portal.example.com/${FILE.name}`)
    expect(v.fix!.en).toContain('domain root')
  })

  it('only warns when the public origin cannot be reached from the server', async () => {
    await saveVerifyFile(db, { ...FILE, actor: 'zhangsan', at: new Date() })
    const { ctx } = doctorSetup({ db })
    const v = (await doctor({ ...ctx, fetch: async () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })) })).check('verifyFile')
    expect(v.status).toBe('warn')
    expect(v.summary.en).toContain('ECONNREFUSED')
  })

  it('passes when PUBLIC_URL serves the uploaded file', async () => {
    await saveVerifyFile(db, { ...FILE, actor: 'zhangsan', at: new Date() })
    expect((await doctor(doctorSetup({ db }).ctx)).check('verifyFile').status).toBe('ok')
  })
})

describe('directory sync', () => {
  it('fails with the last run\'s error and hint', async () => {
    const id = await createRun(db, 'full', 'schedule', new Date())
    await finishRun(db, id, { status: 'failed', counts: emptyCounts(), errors: [{ errcode: 60011, message: 'department/list: errcode 60011', hint: "Check the app's visible range." }], progress: { phase: 'reading', done: 0, total: 1 } }, new Date())
    const s = (await doctor(doctorSetup({ db }).ctx)).check('sync')
    expect(s).toMatchObject({ status: 'fail', errcode: 60011 })
    expect(s.summary.en).toContain('errcode 60011')
    expect(s.fix!.en).toBe("Check the app's visible range.")
  })

  it('warns about a held run, and when none ever ran', async () => {
    expect((await doctor(doctorSetup({ db }).ctx)).check('sync').status).toBe('warn')
    const id = await createRun(db, 'full', 'schedule', new Date())
    await finishRun(db, id, { status: 'held', counts: emptyCounts(), errors: [], hold: { wouldDisable: 90, members: 240, maxShare: 0.2 }, progress: { phase: 'held', done: 1, total: 1 } }, new Date())
    const s = (await doctor(doctorSetup({ db }).ctx)).check('sync')
    expect(s.status).toBe('warn')
    expect(s.summary.en).toContain("disable 90 of the directory's 240 members")
  })
})

describe('notifications', () => {
  it('warns when WeCom refuses the app and the outbox is paused (60020)', async () => {
    const { ctx, admin, config, sandbox } = doctorSetup({ db })
    await admin('settings', { ipAllowlist: ['198.51.100.1'] })
    await enqueueNotification(db, { dedupeKey: 'd1', userid: 'lisi', message: { msgtype: 'text', text: { content: 'hi' } }, now: new Date() })
    const wecom = createWeComClient({ apiBase: config.wecom.apiBase, corpId: config.wecom.corpId, secret: config.wecom.secret, tokens: createTokenCache(), fetch: async (u, i) => sandbox.app.request(String(u), i) })
    await createOutboxWorker({ db, wecom, log: ctx.log, now: Date.now, settings: settingsOf(config) }).drain()
    const o = (await doctor(ctx)).check('outbox')
    expect(o.status).toBe('warn')
    expect(o.summary.en).toContain('paused')
    expect(o.summary.en).toContain('60020')
    expect(o.fix!.en).toContain('Trusted corporate IP')
  })

  it('warns when messages are off, pointing at where they were switched off; fine otherwise', async () => {
    const byEnv = (await doctor(doctorSetup({ db, env: { MESSAGE_ENABLE: 'false' } }).ctx)).check('outbox')
    expect(byEnv.status).toBe('warn')
    expect(byEnv.fix!.en).toContain('MESSAGE_ENABLE=true')
    const byConsole = doctorSetup({ db })
    byConsole.settings.set('messageEnable', false)
    const o2 = (await doctor(byConsole.ctx)).check('outbox')
    expect(o2.status).toBe('warn')
    expect(o2.fix!.en).toContain('Settings')
    expect(o2.fix!.en).not.toContain('MESSAGE_ENABLE')
    const o = (await doctor(doctorSetup({ db }).ctx)).check('outbox')
    expect(o.status).toBe('ok')
    expect(text(o)).toContain('0 sent')
  })

  it('counts the messages queued in the last 24 h (by index, not a scan of every message kept), and every one still waiting', async () => {
    const at = (h: number) => new Date(Date.now() - h * 3_600_000)
    const rows: [string, string, Date, string | null][] = [
      ['day-old-sent', 'sent', at(30), null],
      ['day-old-failed', 'failed', at(30), 'errcode 81013 user not found'],
      ['day-old-waiting', 'pending', at(30), null],
      ['new-sent', 'sent', at(2), null],
      ['new-failed', 'failed', at(1), 'errcode 60111 userid not found'],
    ]
    for (const [key, status, created, error] of rows) {
      await db.query(`insert into outbox (dedupe_key, userid, message, status, next_attempt_at, created_at, last_error) values ($1, 'lisi', '{}', $2, $3, $3, $4)`, [key, status, created, error])
    }
    try {
      const o = (await doctor(doctorSetup({ db }).ctx)).check('outbox')
      expect(o.summary.en).toContain('Last 24 h: 1 sent, 1 failed; 1 waiting.')
      // The digest's window is served by an index (forbidding scans: a table this small would be scanned anyway).
      const plan = await db.transaction(async (tx) => {
        await tx.query('set local enable_seqscan = off')
        return (await tx.query<{ 'QUERY PLAN': string }>(`explain select count(*) from outbox where created_at >= now() - interval '1 day'`)).map((r) => r['QUERY PLAN']).join('\n')
      })
      expect(plan).toContain('outbox_created')
    } finally {
      await db.query(`delete from outbox where dedupe_key in (${rows.map((r) => `'${r[0]}'`).join(', ')})`)
    }
  })
})
