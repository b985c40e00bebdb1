import { describe, expect, it } from 'vitest'
import { adminJson, allListIdRows, contactToken, expectedRows, listId } from './helpers'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { hintPattern, setup } from '../helpers'

describe('sandbox user/list_id', () => {
  it('issues a separate token per secret from gettoken, and still refuses other secrets', async () => {
    const t = setup()
    expect((await t.gettoken(SANDBOX_DEFAULTS.corpId, 'not-a-secret')).errcode).toBe(40001)
    const contact = await t.gettoken(SANDBOX_DEFAULTS.corpId, SANDBOX_DEFAULTS.contactSecret)
    expect(contact).toMatchObject({ errcode: 0, expires_in: 7200 })
    expect(contact.access_token).not.toBe(await t.token())
    expect(await contactToken(t)).toBe(contact.access_token)
  })

  it('answers 48002 to a token from the app secret', async () => {
    const t = setup()
    const body = await listId(t, await t.token(), {})
    expect(body.errcode).toBe(48002)
    expect(body.errmsg).toMatch(hintPattern(48002))
  })

  it('answers 40058 to a GET, a malformed body and a limit outside 1–10000', async () => {
    const t = setup()
    const token = await contactToken(t)
    expect((await t.json(`/cgi-bin/user/list_id?access_token=${token}`)).errcode).toBe(40058)
    const broken = await listId(t, token, '{"limit":')
    expect(broken.errcode).toBe(40058)
    expect(broken.errmsg).toMatch(/^Warning: wrong json format\./)
    for (const limit of [0, 10_001, 1.5, '100', -1, null]) expect((await listId(t, token, { limit })).errcode, String(limit)).toBe(40058)
    for (const cursor of [7, null]) expect((await listId(t, token, { cursor })).errcode).toBe(40058)
  })

  it('answers 50100 to a cursor it did not issue', async () => {
    const t = setup()
    const token = await contactToken(t)
    for (const cursor of ['garbage', Buffer.from('sbx1:x:0').toString('base64url')]) {
      const body = await listId(t, token, { cursor })
      expect(body.errcode).toBe(50100)
      expect(body.errmsg).toMatch(hintPattern(50100))
    }
  })

  it('pages through every (member, department) row exactly once, quit members left out', async () => {
    const t = setup()
    const token = await contactToken(t)
    const { rows, pages } = await allListIdRows(t, token, 7)
    const expected = expectedRows(t)
    expect(rows).toEqual(expected)
    expect(pages).toBe(Math.ceil(expected.length / 7))
    expect(rows.filter((r) => r.userid === 'zhouba')).toEqual([{ userid: 'zhouba', department: 7 }, { userid: 'zhouba', department: 2 }])
    expect(rows.some((r) => r.userid === 'wangwu')).toBe(false)
  })

  it('returns everything in one page with the default limit, and an empty next_cursor', async () => {
    const t = setup()
    const body = await listId(t, await contactToken(t), {})
    expect(body).toMatchObject({ errcode: 0, errmsg: 'ok', next_cursor: '' })
    expect(body.dept_user).toEqual(expectedRows(t))
  })

  it('ignores the app’s visible range (the contact-sync secret sees everything)', async () => {
    const t = setup({ visibleRange: { departments: [3], users: [] } })
    const { rows } = await allListIdRows(t, await contactToken(t), 5000)
    expect(rows).toEqual(expectedRows(t))
  })

  it('keeps a cursor valid while members come and go', async () => {
    const t = setup()
    const token = await contactToken(t)
    const first = await listId(t, token, { limit: 20 })
    const seen = first.dept_user as { userid: string }[]
    await adminJson(t, 'DELETE', `/sandbox/admin/org/users/${seen[3]!.userid}`)
    await adminJson(t, 'POST', '/sandbox/admin/org/users', { userid: 'newcomer', name: '新同事', department: [3] })
    const rest: { userid: string; department: number }[] = []
    let cursor = first.next_cursor as string
    while (cursor) {
      const page = await listId(t, token, { cursor, limit: 50 })
      rest.push(...(page.dept_user as typeof rest))
      cursor = page.next_cursor as string
    }
    const all = expectedRows(t)
    const at = all.findIndex((r) => r.userid === seen[seen.length - 1]!.userid)
    expect(rest).toEqual(all.slice(at + 1))
    expect(rest[rest.length - 1]).toEqual({ userid: 'newcomer', department: 3 })
  })

  // How fast is the bench's business (pnpm bench), not a test's on a shared machine.
  it('builds 100k members / 5k departments and pages through them all', async () => {
    const t = setup({ org: { members: 100_000, departments: 5000, seed: 7 } })
    const token = await contactToken(t)
    const { rows, pages } = await allListIdRows(t, token, 10_000)
    const depts = await t.json(`/cgi-bin/department/list?access_token=${await t.token()}`)
    expect(rows.length).toBe(expectedRows(t).length)
    expect(rows.length).toBeGreaterThan(95_000)
    expect(pages).toBe(Math.ceil(rows.length / 10_000))
    expect(new Set(rows.map((r) => `${r.userid}/${r.department}`)).size).toBe(rows.length)
    expect(depts.department as unknown[]).toHaveLength(5000)
  })
})
