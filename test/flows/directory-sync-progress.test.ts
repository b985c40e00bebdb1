import { pgliteTestDb } from '@portal/bff/testing/db'
import type { SyncRun } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

/** What WeCom was asked, per API path, since the last reset of the sandbox's counters. */
async function calls(stack: Stack): Promise<Record<string, number>> {
  const stats = (await sandboxAdmin(stack, 'GET', 'stats')) as { calls: Record<string, number> }
  return Object.fromEntries(Object.entries(stats.calls).filter(([path]) => path.startsWith('/cgi-bin/') && path !== '/cgi-bin/gettoken'))
}

// What the console and `pnpm sync` show while a run goes, and what the two kinds really do.
describe('directory sync progress and kinds', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ db: await pgliteTestDb(), sandbox: { callback: undefined } })
  })
  afterAll(() => stack.close())

  it('while reading, the progress carries the members read so far, ending at what the run counts', async () => {
    const reading: SyncRun['progress'][] = []
    const run = await syncOnce(stack, 'full', { onProgress: (p) => void (p.phase === 'reading' && reading.push(p)) })
    expect(run.status).toBe('succeeded')
    const last = reading.at(-1)!
    expect(last.done).toBe(last.total)
    expect(last.total).toBe(run.counts.departmentsSeen)
    expect(last.members).toBe(run.counts.membersSeen)
    expect(run.counts.membersSeen).toBeGreaterThan(0)
    // It rises with the read rather than jumping at the end.
    const partway = reading.filter((p) => p.done > 0 && p.done < p.total)
    expect(partway.some((p) => (p.members ?? 0) > 0 && p.members! < run.counts.membersSeen)).toBe(true)
  })

  it('a forced run makes the same WeCom calls as a normal one and rewrites every row', async () => {
    // Synced already (above): a normal run now finds nothing to write.
    const before = await calls(stack)
    const full = await syncOnce(stack, 'full')
    const afterFull = await calls(stack)
    const force = await syncOnce(stack, 'force')
    const afterForce = await calls(stack)
    const diff = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries(Object.keys(b).map((k) => [k, b[k]! - (a[k] ?? 0)]).filter(([, n]) => n !== 0))
    expect(diff(afterFull, afterForce)).toEqual(diff(before, afterFull))
    expect(full.counts.membersUpdated + full.counts.departmentsUpdated).toBe(0)
    expect(force.counts.membersUpdated).toBe(force.counts.membersSeen)
    expect(force.counts.departmentsUpdated).toBe(force.counts.departmentsSeen)
  })
})
