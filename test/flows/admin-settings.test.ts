import { apiErrorSchema, appInfoSchema, endpoints, settingsViewSchema, type SettingsView } from '@portal/shared'
import { loadConfig } from '@portal/bff/config'
import { openDb, type Db } from '@portal/bff/db'
import { createDeps } from '@portal/bff/deps'
import { createLogger } from '@portal/bff/log'
import { createSandbox, SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { pgliteTestDb, postgresTestDb, TEST_DATABASE_URL } from '@portal/bff/testing/db'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { listenLate } from '../support/listen'
import { SESSION_SECRET, startStack, type Stack } from '../support/stack'
import { syncOnce } from '../support/sync'

/** No corp from env (the console brings it); ROLE_POLICY pinned so one setting is locked. */
const ENV = { WECOM_CORP_ID: '', WECOM_AGENT_ID: '', WECOM_SECRET: '', WECOM_API_BASE: '', ROLE_POLICY: 'all-members' }
const OTHER = { corpId: 'wwf00dcafe00000002', agentId: '1000077', secret: 'OtherCorpSecret_abcdefghijklmnop0123456789' }
const CONTACT = SANDBOX_DEFAULTS.contactSecret

/** Instance B's own pool on PostgreSQL (same schema), as a second process would have; PGlite is in-process, so shared. */
async function secondConnection(db: Db): Promise<Db> {
  if (db.kind !== 'postgres') return db
  const url = TEST_DATABASE_URL!
  const [{ s }] = (await db.query<{ s: string }>('select current_schema() as s')) as [{ s: string }]
  return openDb({ url: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${s}`)}` })
}

const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

describe.each(databases)('admin settings [%s]', (_name, freshDb) => {
  let stack: Stack
  let admin: TestBrowser
  const url = () => `${stack.appUrl}/api/admin/settings`
  const put = (body: unknown) => admin.request(url(), { method: 'PUT', headers: { 'content-type': 'application/json', origin: new URL(stack.appUrl).origin }, body: JSON.stringify(body) })
  const rows = () => stack.deps.db.query<{ key: string; value: string; encrypted: boolean }>('select key, value, encrypted from settings order by key')
  const gettokens = () => stack.sandbox.state.calls.get('/cgi-bin/gettoken') ?? 0
  async function refused(res: Response) {
    expect(res.status).toBe(400)
    const { error } = apiErrorSchema.parse(await res.json())
    expect(error.code).toBe('bad_request')
    return error.fields ?? {}
  }
  const viewOf = async (res: Response): Promise<SettingsView> => {
    expect(res.status).toBe(200)
    return settingsViewSchema.parse(await res.json())
  }

  beforeAll(async () => {
    stack = await startStack({ env: ENV, db: await freshDb() })
    // /api/app is built before any corp exists, so later checks show it follows the console.
    expect(((await (await fetch(`${stack.appUrl}/api/app`)).json()) as { corpId: string }).corpId).toBe('')
    // The first corp, saved while none runs (as on a first start): it applies at once.
    await stack.deps.settings.save({ corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, secret: SANDBOX_DEFAULTS.secret, apiBase: stack.sandboxUrl }, 'setup')
    await syncOnce(stack)
    admin = new TestBrowser(UA.wecomMobile)
    await admin.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
  })
  afterAll(async () => {
    stack.deps.sync.stop()
    stack.deps.settings.stop()
    await stack.close()
  })

  it('refuses a Secret WeCom rejects: fields.secret, nothing stored, the corp in effect unchanged', async () => {
    const before = await rows()
    const calls = gettokens()
    const fields = await refused(await put({ secret: 'NotTheAppSecret-0123456789', syncCron: '0 0/15 * * * ?' }))
    expect(Object.keys(fields)).toEqual(['secret'])
    expect(fields.secret).toMatch(/40001/)
    expect(gettokens()).toBe(calls + 1)
    expect(await rows()).toEqual(before)
    expect(stack.deps.settings.get('secret')).toBe(SANDBOX_DEFAULTS.secret)
    expect(stack.deps.settings.get('syncCron')).toBe('10 0/10 * * * ?')
  })

  it('says it in the admin\'s language: Chinese for a Chinese UI, with WeCom\'s errcode and what to do', async () => {
    const res = await admin.request(url(), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh', origin: new URL(stack.appUrl).origin },
      body: JSON.stringify({ secret: 'NotTheAppSecret-0123456789', syncCron: 'hourly' }),
    })
    expect(res.status).toBe(400)
    const { error } = apiErrorSchema.parse(await res.json())
    expect(error.message).toContain('未保存')
    expect(error.fields!.syncCron).toContain('Quartz')
    expect(error.fields!.syncCron).toMatch(/[\u4e00-\u9fff]/)
  })

  it('refuses settings env pins, naming the env var', async () => {
    const fields = await refused(await put({ rolePolicy: 'explicit', callbackToken: 'NewToken123' }))
    expect(fields.rolePolicy).toMatch(/ROLE_POLICY/)
    expect(fields.callbackToken).toMatch(/WECOM_CALLBACK_TOKEN/)
    expect(stack.deps.settings.get('rolePolicy')).toBe('all-members')
  })

  it('refuses malformed values before asking WeCom, and a body that is not JSON', async () => {
    const calls = gettokens()
    const fields = await refused(await put({ syncCron: 'hourly', callbackAesKey: 'x'.repeat(42), apiBase: 'http://127.0.0.1:1' }))
    expect(Object.keys(fields).sort()).toEqual(['callbackAesKey', 'syncCron'])
    expect(gettokens()).toBe(calls)
    expect(await refused(await admin.request(url(), { method: 'PUT', headers: { 'content-type': 'application/json', origin: new URL(stack.appUrl).origin }, body: '{' }))).toHaveProperty('body')
  })

  it('shows every setting, secrets never in full', async () => {
    const res = await admin.request(url())
    const text = await res.clone().text()
    const view = await viewOf(res)
    expect(text).not.toContain(SANDBOX_DEFAULTS.secret)
    expect(text).not.toContain(stack.deps.settings.get('callbackAesKey'))
    const f = new Map(view.fields.map((x) => [x.key, x]))
    expect(f.get('secret')).toMatchObject({ set: true, masked: `••••${SANDBOX_DEFAULTS.secret.slice(-4)}`, source: 'stored', locked: false })
    expect(f.get('secret')).not.toHaveProperty('value')
    expect(f.get('rolePolicy')).toMatchObject({ value: 'all-members', source: 'env', locked: true, envVar: 'ROLE_POLICY' })
    expect(f.get('corpId')).toMatchObject({ value: SANDBOX_DEFAULTS.corpId, source: 'stored' })
    expect(view).toMatchObject({ keyPersistent: true, updatedBy: 'setup' })
  })

  it('applies a valid contact-sync Secret at once, stored encrypted', async () => {
    const view = await viewOf(await put({ contactSecret: CONTACT }))
    expect(stack.deps.settings.get('contactSecret')).toBe(CONTACT)
    expect(view.fields.find((f) => f.key === 'contactSecret')).toMatchObject({ set: true, source: 'stored', masked: `••••${CONTACT.slice(-4)}` })
    const row = (await rows()).find((r) => r.key === 'contactSecret')!
    expect(row.encrypted).toBe(true)
    expect(row.value).not.toContain(CONTACT)
    expect(view.updatedBy).toBe('zhangsan')
    const [audit] = await stack.deps.db.query<{ actor: string; target: string }>("select actor, target from admin_audit where action = 'settings' order by id desc limit 1")
    expect(audit).toEqual({ actor: 'zhangsan', target: 'contactSecret' })
  })

  it('reschedules the directory sync when its schedule changes', async () => {
    await stack.deps.sync.schedule({ cron: stack.deps.settings.get('syncCron'), forceCron: stack.deps.settings.get('forceSyncCron') })
    expect(stack.deps.sync.scheduled()).toEqual({ cron: '10 0/10 * * * ?', forceCron: '10 45 8,12 * * ?' })
    await viewOf(await put({ syncCron: '20 0/15 * * * ?', forceSyncCron: '0 30 7 * * ?' }))
    expect(stack.deps.sync.scheduled()).toEqual({ cron: '20 0/15 * * * ?', forceCron: '0 30 7 * * ?' })
  })

  it('keeps notifications unsent while messages are switched off, and sends again once on', async () => {
    // Due a second ago: the worker compares with the JS clock, which can trail the database's now() by a millisecond.
    const queue = (key: string) =>
      stack.deps.db.query(`insert into outbox (dedupe_key, userid, message, next_attempt_at, created_at) values ($1, 'lisi', $2, now() - interval '1 second', now())`, [key, JSON.stringify({ msgtype: 'text', text: { content: key } })])
    const status = async (key: string) => (await stack.deps.db.query<{ status: string }>('select status from outbox where dedupe_key = $1', [key]))[0]?.status
    const inbox = () => (stack.sandbox.state.messages.inbox.get('lisi') ?? []).length
    const delivered = inbox()
    await viewOf(await put({ messageEnable: false }))
    await queue('settings-off')
    await stack.deps.outbox.drain()
    expect(await status('settings-off')).toBe('suppressed')
    expect(inbox()).toBe(delivered)
    await viewOf(await put({ messageEnable: true }))
    await queue('settings-on')
    await stack.deps.outbox.drain()
    expect(await status('settings-on')).toBe('sent')
    expect(inbox()).toBe(delivered + 1)
  })

  it('serves a console save through the settings: /api/app shows it, the frozen config keeps its own value', async () => {
    const config = stack.deps.config
    const app = async () => appInfoSchema.parse(await (await fetch(`${stack.appUrl}${endpoints.app.path}`)).json())
    expect(Object.isFrozen(config)).toBe(true)
    expect(config.timeZone).toBe('Asia/Shanghai')
    expect((await app()).timeZone).toBe('Asia/Shanghai')
    try {
      await viewOf(await put({ timeZone: 'Europe/Berlin' }))
      expect((await app()).timeZone).toBe('Europe/Berlin')
      expect(stack.deps.config).toBe(config)
      expect(config.timeZone).toBe('Asia/Shanghai')
    } finally {
      await viewOf(await put({ timeZone: null }))
    }
    expect((await app()).timeZone).toBe('Asia/Shanghai')
  })

  it('reaches a second instance on the same database within its poll', async () => {
    const loaded = loadConfig({ ...ENV, PUBLIC_URL: stack.appUrl, SESSION_SECRET, ADMIN_USERIDS: 'zhangsan' }, mkdtempSync(join(tmpdir(), 'stack-b-')))
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
    const b = await createDeps(loaded.config, { db: await secondConnection(stack.deps.db), log: createLogger({ level: 'error' }) })
    await b.settings.apply()
    expect(b.settings.get('corpId')).toBe(SANDBOX_DEFAULTS.corpId)
    b.settings.start()
    try {
      await viewOf(await put({ approvalCron: '0 0/7 * * * ?' }))
      // Within its poll (3 s); generous for a loaded machine.
      await vi.waitFor(() => expect(b.settings.get('approvalCron')).toBe('0 0/7 * * * ?'), { timeout: 30_000, interval: 50 })
    } finally {
      b.settings.stop()
      if (b.db !== stack.deps.db) await b.db.close()
    }
  })

  it('stores another corp for the next start and says a restart is needed; the running corp stays', async () => {
    const otherSandbox = createSandbox({ trustedDomain: new URL(stack.appUrl).host, ...OTHER })
    const server = await listenLate()
    server.setHandler(otherSandbox.app.fetch)
    try {
      const view = await viewOf(await put({ ...OTHER, apiBase: server.url }))
      expect(view.restartRequired).toBe(true)
      expect(view.fields.find((f) => f.key === 'corpId')).toMatchObject({ value: OTHER.corpId, source: 'stored' })
      expect(otherSandbox.state.calls.get('/cgi-bin/agent/get')).toBe(1)
      const inEffect = (k: 'corpId' | 'agentId' | 'apiBase') => stack.deps.settings.get(k)
      expect({ corpId: inEffect('corpId'), agentId: inEffect('agentId'), apiBase: inEffect('apiBase') }).toEqual({ corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, apiBase: stack.sandboxUrl })
      expect(stack.deps.wecom.corpId).toBe(SANDBOX_DEFAULTS.corpId)
      const app = (await (await fetch(`${stack.appUrl}/api/app`)).json()) as { corpId: string }
      expect(app.corpId).toBe(SANDBOX_DEFAULTS.corpId)
      expect((await viewOf(await admin.request(url()))).restartRequired).toBe(true)
    } finally {
      await server.close()
    }
  })
})
