import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiErrorSchema, doctorReportSchema, setupValuesSchema, type DoctorCheck, type DoctorReport } from '@portal/shared'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { freePort } from '../support/app-process'
import { runToEnd } from '../support/run-process'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { sandboxAdmin, syncOnce } from '../support/sync'

// The doctor over HTTP against the sandbox, with the matching fault injected for each check.

let stack: Stack
let admin: TestBrowser
let member: TestBrowser
const FILE = { name: 'WW_verify_Dr0ct0rF1leC0de9.txt', content: 'Hq3Lm8Rt2Wx7Kp4N' }

async function runDoctor(who: TestBrowser = admin, body?: object): Promise<{ status: number; report: DoctorReport & { check(id: DoctorCheck['id']): DoctorCheck } }> {
  const res = await who.request(`${stack.appUrl}/api/admin/doctor`, {
    method: 'POST',
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  })
  const json = (await res.json()) as unknown
  const report = res.status === 200 ? doctorReportSchema.parse(json) : (json as DoctorReport)
  return { status: res.status, report: { ...report, check: (id) => report.checks.find((c) => c.id === id)! } }
}

beforeAll(async () => {
  stack = await startStack()
  expect((await syncOnce(stack)).status).toBe('succeeded')
  admin = new TestBrowser(UA.wecomMobile)
  await admin.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
  member = new TestBrowser(UA.wecomMobile)
  await member.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
})
afterAll(() => stack.close())
beforeEach(async () => {
  await sandboxAdmin(stack, 'DELETE', 'faults')
  await sandboxAdmin(stack, 'POST', 'reset')
})

describe('the doctor API', () => {
  it('is for admins only', async () => {
    expect((await fetch(`${stack.appUrl}/api/admin/doctor`, { method: 'POST' })).status).toBe(401)
    const res = await member.request(`${stack.appUrl}/api/admin/doctor`, { method: 'POST' })
    expect(res.status).toBe(403)
    expect(apiErrorSchema.parse(await res.json()).error.code).toBe('forbidden')
  })

  it('refuses a body that is not { testMessage?: boolean }', async () => {
    const { status } = await runDoctor(admin, { testMessage: 'yes' })
    expect(status).toBe(400)
  })

  it('names the IP WeCom saw when it refuses ours (60020), and the setup page shows it to whitelist', async () => {
    await sandboxAdmin(stack, 'POST', 'settings', { ipAllowlist: ['198.51.100.1'] })
    const { report } = await runDoctor()
    expect(report.ok).toBe(false)
    const ip = report.check('trustedIp')
    expect(ip).toMatchObject({ status: 'fail', errcode: 60020 })
    expect(ip.summary.en).toContain('127.0.0.1')
    expect(ip.fix!.zh).toContain('企业可信IP')
    const setup = setupValuesSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/setup`)).json())
    expect(setup.egressIp?.ip).toBe('127.0.0.1')
  })

  it('remembers the IP of a 60020 the app itself meets (a sync), for the setup page', async () => {
    await stack.deps.db.query('delete from health_marks')
    await sandboxAdmin(stack, 'POST', 'settings', { ipAllowlist: ['198.51.100.1'] })
    expect((await syncOnce(stack)).status).toBe('failed')
    const setup = setupValuesSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/setup`)).json())
    expect(setup.egressIp?.ip).toBe('127.0.0.1')
    // The doctor says so too, then all is well again once the IP is trusted.
    expect((await runDoctor()).report.check('sync')).toMatchObject({ status: 'fail', errcode: 60020 })
    await sandboxAdmin(stack, 'POST', 'reset')
    expect((await syncOnce(stack)).status).toBe('succeeded')
  })

  it('names the secret when WeCom rejects it (40001)', async () => {
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/gettoken', errcode: 40001 })
    const token = (await runDoctor()).report.check('token')
    expect(token).toMatchObject({ status: 'fail', errcode: 40001 })
    expect(token.summary.en).toContain('WECOM_SECRET')
    expect(token.fix!.zh).toContain('Secret')
  })

  it('fails the visible range when it is empty', async () => {
    await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [], users: [] } })
    const range = (await runDoctor()).report.check('visibleRange')
    expect(range.status).toBe('fail')
    expect(range.fix!.zh).toContain('可见范围')
  })

  it('fails the callback check when WeCom uses another EncodingAESKey or Token than the app', async () => {
    const verify = (override: object) => sandboxAdmin(stack, 'POST', 'callbacks/verify-url', override) as Promise<{ result: { ok: boolean } }>
    expect((await verify({ encodingAesKey: 'WrongEncodingAesKey0123456789abcdefghijklmn' })).result.ok).toBe(false)
    const byKey = (await runDoctor()).report.check('callback')
    expect(byKey.status).toBe('fail')
    expect(byKey.summary.en).toContain('EncodingAESKey')
    expect((await verify({ token: 'NotTheAppToken' })).result.ok).toBe(false)
    // Marks of one name are written at most every few seconds: the doctor still sees the newest.
    const byToken = (await runDoctor()).report.check('callback')
    expect(byToken.status).toBe('fail')
    expect(byToken.summary.en).toContain('Token')
    expect((await verify({})).result.ok).toBe(true)
    expect((await runDoctor()).report.check('callback').status).toBe('ok')
  })

  it('passes every check on a healthy corp, sending the test message only to the admin who asked', async () => {
    const upload = await admin.request(`${stack.appUrl}/api/admin/verify-files`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(FILE) })
    expect(upload.status).toBe(201)
    expect(((await sandboxAdmin(stack, 'POST', 'callbacks/verify-url', {})) as { result: { ok: boolean } }).result.ok).toBe(true)
    const { report } = await runDoctor(admin, { testMessage: true })
    const notOk = report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.id}: ${c.status} ${c.summary.en}`)
    // PUBLIC_URL is http://localhost here, which a real corp cannot use; no contact secret is set.
    expect(notOk).toEqual([expect.stringMatching(/^config: warn .*localhost/), expect.stringMatching(/^contactToken: skip/)])
    expect(report.ok).toBe(true)
    expect((stack.sandbox.state.messages.inbox.get('zhangsan') ?? []).some((m) => m.payload.msgtype === 'text')).toBe(true)
    expect(stack.sandbox.state.messages.inbox.get('lisi') ?? []).toEqual([])
  })
})

// Each run starts a process from source (tsx): slow on a loaded machine, and always waited for.
describe('pnpm run doctor', { timeout: 180_000 }, () => {
  const ROOT = join(import.meta.dirname, '../..')
  const RUN_MS = 150_000
  async function cli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    return runToEnd(process.execPath, ['--import', 'tsx', join(ROOT, 'bff/src/cli/doctor.ts')], {
      cwd: join(ROOT, 'bff'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(await freePort()), DATA_DIR: mkdtempSync(join(tmpdir(), 'doctor-cli-')), ...env },
      timeoutMs: RUN_MS,
    })
  }

  it('exits 1 and says what to fix when a check fails (wrong secret, in Chinese under LANG=zh_CN)', async () => {
    const { code, out } = await cli({
      LANG: 'zh_CN.UTF-8',
      WECOM_CORP_ID: stack.config.wecom.corpId,
      WECOM_AGENT_ID: stack.config.wecom.agentId,
      WECOM_SECRET: 'a-secret-wecom-rejects',
      WECOM_API_BASE: stack.sandboxUrl,
      SESSION_SECRET: 'doctor-cli-session-secret-0123456789abcdef',
    })
    expect(code, out).toBe(1)
    expect(out).toMatch(/✗ 应用 Secret\s+企业微信不接受应用 Secret（来自环境变量 WECOM_SECRET）：错误码 40001/)
    expect(out).toContain('→ 请从 应用管理 → 应用 → 本应用 → Secret')
    expect(out).toMatch(/1 项失败/)
  })

  it('`pnpm run doctor` at the root runs this doctor, not pnpm\'s own `pnpm doctor`', async () => {
    const { code, out } = await runToEnd('pnpm', ['run', 'doctor'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', PORT: String(await freePort()), DATA_DIR: mkdtempSync(join(tmpdir(), 'doctor-cli-')) },
      timeoutMs: RUN_MS,
    })
    expect(code, out).toBe(0)
    expect(out).toContain('WeCom portal doctor')
    expect(out).toMatch(/✓ App Secret/)
  })

  it('checks against an in-process sandbox in sandbox mode, in English by default, and exits 0', async () => {
    const { code, out } = await cli({ LANG: 'C.UTF-8' })
    expect(code, out).toBe(0)
    expect(out).toContain('Sandbox mode: no WeCom corp configured; checking against an in-process WeCom sandbox.')
    expect(out).toMatch(/✓ App Secret\s+Got an access_token/)
    expect(out).toMatch(/✓ Trusted IP/)
    expect(out).toMatch(/– Test message/)
    expect(out).toMatch(/0 failed/)
  })
})
