import type { Db } from '@portal/bff/db'
import { pgliteTestDb, postgresTestDb, TEST_DATABASE_URL } from '@portal/bff/testing/db'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sandboxAdmin } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

type EventRow = { applied_at: Date | null; attempts: number; retries: number; last_error: string | null }

/**
 * Which failures park a change_contact event: WeCom busy or throttled and the network are
 * transient (tried again with backoff, for as long as they last); only permanent errors count
 * toward maxAttempts. The department is read back from WeCom (department/get), so a fault there
 * fails the event.
 */
describe.each(databases)('change_contact events that fail, transiently or for good [%s]', (_name, openDb) => {
  let stack: Stack
  beforeAll(async () => {
    // Three permanent failures park an event; retries come after 30 ms, so a test sees many.
    // No sync needed: a new department is read back whole.
    stack = await startStack({ db: await openDb(), callbackWorker: { maxAttempts: 3, backoffMs: () => 30, frequencyLimitWaitMs: 30 } })
  })
  afterAll(() => stack?.close())

  const eventOf = async (partyId: number) =>
    (await stack.deps.db.query<EventRow>(`select applied_at, attempts, retries, last_error from callback_events where change_type = 'create_party' and subject = $1`, [`party:${partyId}`]))[0]
  const department = async (id: number) => (await stack.deps.db.query<{ name: string }>('select name from departments where id = $1', [id]))[0]
  const createParty = async (name: string) => ((await sandboxAdmin(stack, 'POST', 'org/departments', { name, parentid: 1 })) as { department: { id: number } }).department.id

  it('a permanent error (WeCom refuses the request) parks the event after maxAttempts, with its error', async () => {
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/department/get', errcode: 40058, times: 20 })
    const id = await createParty('读不了的部门')
    await vi.waitFor(async () => expect((await eventOf(id))?.attempts).toBe(3), { timeout: 20_000, interval: 50 })
    await sandboxAdmin(stack, 'DELETE', 'faults')
    const row = (await eventOf(id))!
    expect(row).toMatchObject({ applied_at: null, attempts: 3, retries: 0 })
    expect(row.last_error).toMatch(/40058/)
    expect(await department(id)).toBeUndefined()
  })

  // More failures in a row than maxAttempts: each would have parked the event before.
  it.each([
    ['WeCom busy (-1)', { errcode: -1 }],
    ['over a WeCom frequency limit (45009)', { errcode: 45009 }],
    ['the network (connection dropped)', { drop: true }],
  ])('a transient failure, %s, is retried past maxAttempts and the event is applied once it passes', async (_what, fault) => {
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/department/get', times: 6, ...fault })
    const id = await createParty(`重试部门${Math.floor(Math.random() * 1e6)}`)
    await vi.waitFor(async () => expect((await eventOf(id))?.applied_at).toBeInstanceOf(Date), { timeout: 30_000, interval: 50 })
    const row = (await eventOf(id))!
    expect(row).toMatchObject({ attempts: 0, last_error: null })
    // At least maxAttempts failures (the client may spend two faults on one read of a dropped connection).
    expect(row.retries).toBeGreaterThanOrEqual(3)
    expect(await department(id)).toMatchObject({ name: expect.stringMatching(/^重试部门/) })
  })
})
