import type { Db } from '@portal/bff/db'
import { postgresTestDb, TEST_DATABASE_URL, pgliteTestDb } from '@portal/bff/testing/db'
import { apiErrorSchema, todoListSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { syncOnce } from '../support/sync'

/*
 * A member's done list after years of use: 205 done todos, 200 a page. Many share their
 * updated_at to the microsecond (a batch closed at once), so the order and the pages also rest on
 * the id.
 */
const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

let stack: Stack
const browsers: Record<string, TestBrowser> = {}
const DONE = 205

const get = async (who: string, path: string) => {
  const res = await browsers[who]!.request(`${stack.appUrl}${path}`)
  return { status: res.status, body: (await res.json()) as unknown }
}
const page = async (who: string, cursor?: string) => {
  const r = await get(who, `/api/todos?status=done${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
  expect(r.status).toBe(200)
  return todoListSchema.parse(r.body)
}
/** The whole done list, page after page. */
const everyPage = async (who: string) => {
  const pages = [await page(who)]
  while (pages.at(-1)!.nextCursor) pages.push(await page(who, pages.at(-1)!.nextCursor!))
  return pages
}

describe.each(databases)("a member's done list, a page at a time [%s]", (_name, freshDb) => {
  beforeAll(async () => {
    stack = await startStack({ db: await freshDb() })
    expect((await syncOnce(stack)).status).toBe('succeeded')
    for (const who of ['lisi', 'wujiu']) {
      browsers[who] = new TestBrowser(UA.wecomMobile)
      await browsers[who].go(`${stack.appUrl}/auth/login`, signedInAs(who))
    }
    // Three todos per second of updated_at; 吴九 has two of his own.
    await stack.deps.db.query(
      `insert into todos (id, assignee, source, origin, ref, title, link, status, created_at, updated_at)
       select 'd-' || lpad(g::text, 3, '0'), 'lisi', 'host', 'oa', 'r' || g, '已办 ' || g, 'https://oa.example.com/t', case when g % 4 = 0 then 'cancelled' else 'done' end,
              timestamptz '2026-01-01', timestamptz '2026-06-01' + (g / 3) * interval '1 second'
         from generate_series(1, ${DONE}) g
       union all
       select 'w-' || g, 'wujiu', 'host', 'oa', 'w' || g, '吴九的', 'https://oa.example.com/t', 'done', timestamptz '2026-01-01', timestamptz '2026-06-01' from generate_series(1, 2) g`,
    )
  })
  afterAll(() => stack?.close())

  it('refuses a cursor it did not give, naming it', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('12x:d-001').toString('base64url'), Buffer.from('123').toString('base64url'), Buffer.from('99999999999999999999:d-001').toString('base64url'), 'x'.repeat(500)]) {
      const r = await get('lisi', `/api/todos?status=done&cursor=${cursor}`)
      expect(r.status, cursor).toBe(400)
      expect(apiErrorSchema.parse(r.body).error.fields).toEqual({ cursor: 'expected the nextCursor of the page before' })
    }
  })

  it('gives 200, then the rest: every todo once, newest first, then by id', async () => {
    const pages = await everyPage('lisi')
    expect(pages.map((p) => p.items.length)).toEqual([200, 5])
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, true])
    const ids = pages.flatMap((p) => p.items.map((t) => t.id))
    expect(new Set(ids).size).toBe(DONE)
    const expected = Array.from({ length: DONE }, (_, i) => i + 1)
      .sort((a, b) => Math.floor(b / 3) - Math.floor(a / 3) || b - a)
      .map((g) => `d-${String(g).padStart(3, '0')}`)
    expect(ids).toEqual(expected)
    // Every page carries both counts.
    expect(pages.map((p) => p.counts.done)).toEqual([DONE, DONE])
  })

  it('a cursor reaches only its member\'s own list', async () => {
    const lisiFirst = await page('lisi')
    const wujiu = await page('wujiu', lisiFirst.nextCursor!)
    expect(wujiu.items.every((t) => t.id.startsWith('w-'))).toBe(true)
  })

  it('a todo finished while someone pages goes to the top; the next page neither repeats nor skips one', async () => {
    const first = await page('lisi')
    // One of the second page's todos is closed again (as a host may): it moves to the top.
    const moved = 'd-004'
    await stack.deps.db.query("update todos set updated_at = now() where id = $1", [moved])
    stack.deps.todoLists.changed(['lisi'])
    const second = await page('lisi', first.nextCursor!)
    const seen = [...first.items, ...second.items].map((t) => t.id)
    expect(new Set(seen).size).toBe(seen.length)
    // All but the moved one were seen, in the pages as they were asked for.
    expect(new Set([...seen, moved]).size).toBe(DONE)
    expect((await page('lisi')).items[0]!.id).toBe(moved)
  })

  it('the pending list is one page when it is short', async () => {
    const r = todoListSchema.parse((await get('lisi', '/api/todos')).body)
    expect(r.nextCursor).toBeNull()
  })
})
