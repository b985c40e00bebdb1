import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
beforeAll(async () => {
  // Syncs alone (no callbacks), and no look of the read model's own within a test: what a run
  // changes is seen because the run asked for a rebuild.
  stack = await startStack({ sandbox: { callback: undefined }, directoryLookMs: 60_000 })
  expect((await syncOnce(stack)).status).toBe('succeeded')
})
afterAll(() => stack.close())

const position = async () => (await stack.deps.readModel.current()).members.get('lisi')?.position

describe('what a sync changes, as the directory endpoints read it', () => {
  it('a run someone started is read by the next request; a scheduled run holds no request and is read once rebuilt', async () => {
    await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { position: '手动同步后' })
    expect(await stack.deps.sync.start({ kind: 'full', trigger: 'manual' }).done).toMatchObject({ status: 'succeeded' })
    expect(await position()).toBe('手动同步后')

    await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { position: '定时同步后' })
    expect(await stack.deps.sync.start({ kind: 'full', trigger: 'schedule' }).done).toMatchObject({ status: 'succeeded' })
    // Answered from the view there is while the rebuild the run started goes on.
    expect(await position()).toBe('手动同步后')
    await vi.waitFor(async () => expect(await position()).toBe('定时同步后'), { timeout: 2_000, interval: 20 })
  })

  it('a run that changes nothing still moves the tree\'s sync time, which the H5 shows', async () => {
    const syncedAt = async () => (JSON.parse((await stack.deps.readModel.current()).treeJson) as { syncedAt: string }).syncedAt
    const before = await stack.deps.readModel.current()
    expect(await stack.deps.sync.start({ kind: 'full', trigger: 'manual' }).done).toMatchObject({ status: 'succeeded' })
    const after = await stack.deps.readModel.current()
    expect(after.version).toBe(before.version)
    expect(after.syncedAt!.getTime()).toBeGreaterThan(before.syncedAt!.getTime())
    expect(await syncedAt()).toBe(after.syncedAt!.toISOString())
    expect(after.search).toBe(before.search) // nothing rebuilt for it

    expect(await stack.deps.sync.start({ kind: 'full', trigger: 'schedule' }).done).toMatchObject({ status: 'succeeded' })
    await vi.waitFor(async () => expect(new Date(await syncedAt()).getTime()).toBeGreaterThan(after.syncedAt!.getTime()), { timeout: 2_000, interval: 20 })
  })
})
