import type { Db } from '@portal/bff/db'
import { postgresTestDb, TEST_DATABASE_URL, pgliteTestDb } from '@portal/bff/testing/db'
import { apiErrorSchema, memberDetailSchema, myContactSchema, settingsViewSchema, type MyContact } from '@portal/shared'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

// Issue 12 §2: members share mobile, email, avatar, gender and address on WeCom's consent page
// (snsapi_privateinfo); the sandbox plays that page and auth/getuserdetail.
const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

describe.each(databases)('contact details with consent [%s]', (_name, freshDb) => {
  let stack: Stack
  let admin: TestBrowser
  /** What 李四 shared, for the log check at the end. */
  let lisiShared: string[] = []
  const origin = () => new URL(stack.appUrl).origin
  const json = { 'content-type': 'application/json' }

  async function signIn(userid: string, ua = UA.wecomMobile): Promise<TestBrowser> {
    const b = new TestBrowser(ua)
    await b.go(`${stack.appUrl}/auth/login?returnTo=%2Fme`, signedInAs(userid))
    return b
  }
  async function myContact(b: TestBrowser): Promise<MyContact> {
    const res = await b.request(`${stack.appUrl}/api/me/contact`)
    expect(res.status).toBe(200)
    return myContactSchema.parse(await res.json())
  }
  const startConsent = (b: TestBrowser, returnTo = '/me') =>
    b.request(`${stack.appUrl}/api/me/contact/consent`, { method: 'POST', headers: { ...json, origin: origin() }, body: JSON.stringify({ returnTo }) })
  /** The member opens the consent link in WeCom (as `asUser`) and answers; returns where they land. */
  async function consent(b: TestBrowser, answer: 'agree' | 'decline', asUser: string, returnTo = '/me'): Promise<URL> {
    const res = await startConsent(b, returnTo)
    expect(res.status).toBe(200)
    const { url } = (await res.json()) as { url: string }
    const { url: landed } = await b.go(url, (u) => {
      if (u.pathname === '/connect/oauth2/authorize') {
        u.searchParams.set('sandbox_userid', asUser)
        u.searchParams.set('sandbox_consent', answer)
      }
      return u
    })
    return new URL(landed)
  }
  async function card(userid: string) {
    const res = await admin.request(`${stack.appUrl}/api/directory/members/${userid}`)
    expect(res.status).toBe(200)
    return memberDetailSchema.parse(await res.json())
  }
  const storedRows = async (userid: string) => (await stack.deps.db.query('select userid from member_contacts where userid = $1', [userid])).length
  const setConsent = async (on: boolean) => {
    const res = await admin.request(`${stack.appUrl}/api/admin/settings`, { method: 'PUT', headers: { ...json, origin: origin() }, body: JSON.stringify({ contactConsent: on }) })
    expect(res.status).toBe(200)
    return settingsViewSchema.parse(await res.json())
  }
  /** An active generated member nobody else in this file uses. */
  const someone = (n: number) => stack.sandbox.state.directory.org.members.filter((m) => m.status === 1 && !m.sensitive && !['zhangsan', 'lisi', 'zhouba'].includes(m.userid))[n]!.userid

  beforeAll(async () => {
    stack = await startStack({ db: await freshDb(), sandbox: { callback: undefined } })
    await syncOnce(stack)
    admin = await signIn('zhangsan')
  })
  afterAll(() => stack.close())
  beforeEach(async () => {
    await sandboxAdmin(stack, 'DELETE', 'faults')
  })

  it('is off by default: no prompt, and starting or dismissing is refused with 403 and what to do', async () => {
    const b = await signIn('lisi')
    expect(await myContact(b)).toEqual({ enabled: false, prompt: false, contact: null })
    for (const res of [await startConsent(b), await b.request(`${stack.appUrl}/api/me/contact/dismiss`, { method: 'POST', headers: { origin: origin() } })]) {
      expect(res.status).toBe(403)
      const { error } = apiErrorSchema.parse(await res.json())
      expect(error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/turned off/), hint: expect.stringMatching(/CONTACT_CONSENT/) })
    }
  })

  it('an admin turns it on in the console: the field shows as a switch, on, stored', async () => {
    const view = await setConsent(true)
    expect(view.fields.find((f) => f.key === 'contactConsent')).toMatchObject({ value: true, source: 'stored', locked: false, envVar: 'CONTACT_CONSENT' })
    expect(stack.deps.settings.get('contactConsent')).toBe(true)
  })

  it('consent stores the fields apart from the synced ones; the card shows them; the session stays', async () => {
    const b = await signIn('lisi')
    const sid = b.cookie('localhost', 'wp_sid')!.value
    expect(await myContact(b)).toEqual({ enabled: true, prompt: true, contact: null })
    const before = await card('lisi')
    expect(before.mobile).toBeUndefined()
    expect(before.email).toBeUndefined()

    const landed = await consent(b, 'agree', 'lisi')
    expect(landed.toString()).toBe(`${stack.appUrl}/me?contact=saved`)
    expect(b.cookie('localhost', 'wp_sid')!.value).toBe(sid)
    const mine = await myContact(b)
    lisiShared = [mine.contact?.mobile, mine.contact?.email, mine.contact?.address].filter((v): v is string => !!v)
    expect(mine.prompt).toBe(false)
    expect(mine.contact).toMatchObject({ mobile: expect.stringMatching(/^1\d{10}$/), email: 'lisi@xinghe-tech.com', address: expect.any(String), gender: expect.stringMatching(/^(male|female)$/) })
    // Nothing of it went into the synced row.
    const [row] = await stack.deps.db.query<{ mobile: string | null; email: string | null }>('select mobile, email from members where userid = $1', ['lisi'])
    expect(row).toEqual({ mobile: null, email: null })

    const after = await card('lisi')
    expect(after).toMatchObject({ mobile: mine.contact!.mobile, email: mine.contact!.email, address: mine.contact!.address })
    expect(after.consented).toEqual(expect.arrayContaining(['mobile', 'email', 'address', 'avatar', 'gender']))
  })

  it('a sync (full and force) does not erase them', async () => {
    const shared = (await card('lisi')).mobile
    expect(shared).toBeDefined()
    await syncOnce(stack, 'full')
    await syncOnce(stack, 'force')
    expect((await card('lisi')).mobile).toBe(shared)
    expect(await storedRows('lisi')).toBe(1)
  })

  it('the directory\'s own values win on the card; shared ones only fill what is empty', async () => {
    const b = await signIn('zhangsan')
    expect((await consent(b, 'agree', 'zhangsan')).searchParams.get('contact')).toBe('saved')
    const c = await card('zhangsan')
    // 张三 is a pre-2022 member: user/get gives his mobile and email already.
    expect(c.consented).toEqual(['bizMail', 'address'])
    expect(c.address).toEqual(expect.any(String))
  })

  it('withdrawal deletes them: gone from the store and the card, and the member is not asked again', async () => {
    const b = await signIn('lisi')
    const res = await b.request(`${stack.appUrl}/api/me/contact`, { method: 'DELETE', headers: { origin: origin() } })
    expect(res.status).toBe(200)
    expect(myContactSchema.parse(await res.json())).toEqual({ enabled: true, prompt: false, contact: null })
    expect(await storedRows('lisi')).toBe(0)
    const c = await card('lisi')
    expect(c.mobile).toBeUndefined()
    expect(c.consented).toBeUndefined()
  })

  it('declining on WeCom\'s page stores nothing and is remembered', async () => {
    const who = someone(0)
    const b = await signIn(who)
    expect((await myContact(b)).prompt).toBe(true)
    expect((await consent(b, 'decline', who)).toString()).toBe(`${stack.appUrl}/me?contact=declined`)
    expect(await myContact(b)).toEqual({ enabled: true, prompt: false, contact: null })
    expect(await storedRows(who)).toBe(0)
  })

  it('dismissing the prompt is remembered per member, across sign-ins', async () => {
    const who = someone(1)
    const b = await signIn(who)
    const res = await b.request(`${stack.appUrl}/api/me/contact/dismiss`, { method: 'POST', headers: { origin: origin() } })
    expect(res.status).toBe(200)
    expect((await myContact(await signIn(who))).prompt).toBe(false)
    // Someone else is still asked.
    expect((await myContact(await signIn(someone(2)))).prompt).toBe(true)
  })

  it.each([
    [84014, 'an expired user_ticket'],
    [84015, 'a user_ticket WeCom does not know'],
  ])('%i (%s): nothing stored, the member comes back with contact=failed and is asked again', async (errcode) => {
    const who = someone(3)
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/auth/getuserdetail', errcode, times: 1 })
    const b = await signIn(who)
    expect((await consent(b, 'agree', who)).searchParams.get('contact')).toBe('failed')
    expect(await storedRows(who)).toBe(0)
    expect((await myContact(b)).prompt).toBe(true)
    expect(stack.logs.some((l) => l.includes('contact consent not stored') && l.includes(`"errcode":${errcode}`))).toBe(true)
  })

  it('a code for another person (another account in the client) adds nothing to anyone', async () => {
    const b = await signIn('zhouba')
    expect((await consent(b, 'agree', someone(4))).searchParams.get('contact')).toBe('failed')
    expect(await storedRows('zhouba')).toBe(0)
    expect(await storedRows(someone(4))).toBe(0)
    // The page it lands on was not confirmed: the entry gate signs in whoever the client holds.
    expect(b.hops.some((h) => h.includes('/auth/login?returnTo=%2Fme%3Fcontact%3Dfailed'))).toBe(true)
  })

  it('a consent link opened in another browser (no state bound to it) is refused', async () => {
    const b = await signIn('zhouba')
    const { url } = (await (await startConsent(b)).json()) as { url: string }
    const attacker = await signIn(someone(5))
    const { url: landed } = await attacker.go(url, (u) => {
      if (u.pathname === '/connect/oauth2/authorize') u.searchParams.set('sandbox_consent', 'agree')
      return signedInAs(someone(5))(u)
    })
    expect(new URL(landed).pathname).toBe('/problem')
    expect(await storedRows(someone(5))).toBe(0)
    expect(await storedRows('zhouba')).toBe(0)
  })

  it('keeps returnTo on this site', async () => {
    const b = await signIn(someone(6))
    const landed = await consent(b, 'decline', someone(6), 'https://evil.example/x')
    expect(landed.origin).toBe(origin())
  })

  it('outside WeCom (a plain browser in WeCom mode) there is no prompt and starting is a 409', async () => {
    // A plain browser signs in by QR; the same session's cookies with a browser UA stand for it.
    const wecom = await signIn(someone(7))
    const plain = new TestBrowser(UA.browser)
    for (const [host, jar] of wecom.jar) plain.jar.set(host, new Map(jar))
    expect((await myContact(plain)).prompt).toBe(false)
    const res = await startConsent(plain)
    expect(res.status).toBe(409)
    expect(apiErrorSchema.parse(await res.json()).error.hint).toMatch(/WeCom/)
  })

  it('turned off again: the prompt goes, starting is refused, but a member can still withdraw', async () => {
    await setConsent(false)
    const b = await signIn('zhangsan')
    expect(await myContact(b)).toMatchObject({ enabled: false, prompt: false })
    expect((await startConsent(b)).status).toBe(403)
    const res = await b.request(`${stack.appUrl}/api/me/contact`, { method: 'DELETE', headers: { origin: origin() } })
    expect(res.status).toBe(200)
    expect(await storedRows('zhangsan')).toBe(0)
  })

  it('never logs what members shared', async () => {
    const logs = stack.logs.join('\n')
    expect(logs).toContain('contact consent stored')
    expect(lisiShared).toHaveLength(3)
    for (const v of lisiShared) expect(logs).not.toContain(v)
    expect(logs).not.toMatch(/1[3-9]\d{9}/)
    expect(logs).not.toMatch(/user_ticket[^"]*"\s*:\s*"[\w-]{20,}/)
  })
})
