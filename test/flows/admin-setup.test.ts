import { apiErrorSchema, callbackCredentialsSchema, setupValuesSchema, verifyFileListSchema, verifyFileSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { sandboxAdmin, syncOnce } from '../support/sync'

const FILE = { name: 'WW_verify_S3tupF1leC0de123.txt', content: 'Pk5Vb9Nc2Xz6Mq1W' }
const json = { 'content-type': 'application/json' }

async function signIn(stack: Stack, userid: string): Promise<TestBrowser> {
  const b = new TestBrowser(UA.wecomMobile)
  await b.go(`${stack.appUrl}/auth/login`, signedInAs(userid))
  return b
}

describe('guided setup and verify files, behind a path prefix', () => {
  let stack: Stack
  let admin: TestBrowser
  let member: TestBrowser
  const upload = (body: unknown, who = admin) => who.request(`${stack.appUrl}/api/admin/verify-files`, { method: 'POST', headers: json, body: JSON.stringify(body) })
  const root = () => new URL(stack.appUrl).origin

  beforeAll(async () => {
    stack = await startStack({ prefix: '/portal' })
    expect((await syncOnce(stack)).status).toBe('succeeded')
    admin = await signIn(stack, 'zhangsan')
    member = await signIn(stack, 'lisi')
  })
  afterAll(() => stack.close())

  it('keeps the setup API to admins', async () => {
    for (const [method, path] of [['GET', '/api/admin/setup'], ['POST', '/api/admin/setup/callback-credentials'], ['GET', '/api/admin/verify-files'], ['DELETE', `/api/admin/verify-files/${FILE.name}`]]) {
      expect((await fetch(`${stack.appUrl}${path!}`, { method })).status, path).toBe(401)
      expect((await member.request(`${stack.appUrl}${path!}`, { method })).status, path).toBe(403)
    }
    expect((await upload(FILE, member)).status).toBe(403)
  })

  it('rejects bad names and content, naming the field', async () => {
    for (const [body, field] of [
      [{ name: 'WW_verify_tooShort.txt', content: FILE.content }, 'name'],
      [{ name: '../WW_verify_S3tupF1leC0de123.txt', content: FILE.content }, 'name'],
      [{ name: FILE.name, content: '<html>not a code</html>' }, 'content'],
      [{ name: FILE.name, content: 'A'.repeat(65) }, 'content'],
      [{ name: FILE.name }, 'content'],
    ] as const) {
      const res = await upload(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(Object.keys(apiErrorSchema.parse(await res.json()).error.fields ?? {})).toContain(field)
    }
    expect(verifyFileListSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/verify-files`)).json()).items).toEqual([])
    expect((await fetch(`${root()}/${FILE.name}`)).status).toBe(404)
  })

  it('serves an upload at the domain root (and under the prefix), then stops after delete', async () => {
    const res = await upload(FILE)
    expect(res.status).toBe(201)
    expect(verifyFileSchema.parse(await res.json())).toMatchObject({ ...FILE, uploadedBy: 'zhangsan', source: 'stored' })
    for (const url of [`${root()}/${FILE.name}`, `${stack.appUrl}/${FILE.name}`]) {
      const served = await fetch(url)
      expect(served.status, url).toBe(200)
      expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(await served.text()).toBe(FILE.content)
    }
    const list = verifyFileListSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/verify-files`)).json())
    expect(list.items.map((f) => f.name)).toEqual([FILE.name])

    expect((await admin.request(`${stack.appUrl}/api/admin/verify-files/${FILE.name}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin.request(`${stack.appUrl}/api/admin/verify-files/${FILE.name}`, { method: 'DELETE' })).status).toBe(404)
    expect((await fetch(`${root()}/${FILE.name}`)).status).toBe(404)
  })

  it('gives the console values for this deployment: homepage under the prefix, domains, callback URL', async () => {
    const v = setupValuesSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/setup`)).json())
    const host = new URL(stack.appUrl).host
    expect(v).toMatchObject({ mode: 'wecom', publicUrl: stack.appUrl, trustedDomain: host, loginCallbackDomain: host, callbackUrl: `${stack.appUrl}/wecom/callback`, callbackTokenSet: true, callbackAesKeySet: true })
    expect(v.homepageUrl).toBe(`${stack.appUrl}/auth/login`)
    // Pasted as the app's homepage, the link signs in silently and lands in the app.
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(v.homepageUrl, signedInAs('zhangsan'))
    expect(url).toBe(`${stack.appUrl}/`)
    const deep = setupValuesSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/setup?path=${encodeURIComponent('/todos')}`)).json())
    expect((await new TestBrowser(UA.wecomMobile).go(deep.homepageUrl, signedInAs('zhangsan'))).url).toBe(`${stack.appUrl}/todos`)
  })

  it('passes on the settings refusal when env pins the callback Token', async () => {
    const res = await admin.request(`${stack.appUrl}/api/admin/setup/callback-credentials`, { method: 'POST' })
    expect(res.status).toBe(400)
    expect(JSON.stringify(apiErrorSchema.parse(await res.json()).error)).toContain('WECOM_CALLBACK_TOKEN')
  })
})

describe('callback credentials', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ env: { WECOM_CALLBACK_TOKEN: '', WECOM_CALLBACK_AES_KEY: '' } })
    expect((await syncOnce(stack)).status).toBe('succeeded')
  })
  afterAll(() => stack.close())

  it('generates a Token and EncodingAESKey, saves them, and WeCom can verify the URL with them at once', async () => {
    const admin = await signIn(stack, 'zhangsan')
    const before = setupValuesSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/setup`)).json())
    expect(before).toMatchObject({ callbackTokenSet: false, callbackAesKeySet: false })

    const res = await admin.request(`${stack.appUrl}/api/admin/setup/callback-credentials`, { method: 'POST' })
    expect(res.status).toBe(200)
    const creds = callbackCredentialsSchema.parse(await res.json())
    expect(creds.token).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(creds.encodingAesKey).toMatch(/^[A-Za-z0-9]{43}$/)
    const second = callbackCredentialsSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/setup/callback-credentials`, { method: 'POST' })).json())
    expect(second.token).not.toBe(creds.token)

    const after = await (await admin.request(`${stack.appUrl}/api/admin/setup`)).text()
    expect(setupValuesSchema.parse(JSON.parse(after))).toMatchObject({ callbackTokenSet: true, callbackAesKeySet: true })
    expect(after).not.toContain(second.encodingAesKey)
    // The admin pastes them into 接收消息; WeCom checks the URL on Save.
    const check = (await sandboxAdmin(stack, 'POST', 'callbacks/verify-url', { token: second.token, encodingAesKey: second.encodingAesKey })) as { result: { ok: boolean } }
    expect(check.result.ok).toBe(true)
    const audit = await stack.deps.db.query<{ actor: string; action: string }>("select actor, action from admin_audit where action = 'settings'")
    expect(audit.length).toBeGreaterThanOrEqual(2)
    expect(audit.every((a) => a.actor === 'zhangsan')).toBe(true)
  })
})
