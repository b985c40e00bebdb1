import { createSyncEngine } from '@portal/bff/directory/sync-engine'
import { getRun } from '@portal/bff/directory/sync-runs'
import type { SyncRun } from '@portal/shared'
import type { Stack } from './stack'

/** Runs one sync to the end on a stack, with instant backoff so fault tests stay fast. */
export async function syncOnce(stack: Stack, kind: SyncRun['kind'] = 'full', extra: { allowDisableUpTo?: number; stageBatch?: number; onProgress?: (p: SyncRun['progress']) => void; signal?: AbortSignal } = {}): Promise<SyncRun> {
  const { stageBatch, ...request } = extra
  const engine = createSyncEngine({
    ...stack.deps,
    stageBatch,
    maxDisableShare: stack.config.sync.maxDisableShare,
    retry: { attempts: 4, baseMs: 1, maxMs: 2, limitWaitMs: 1, sleep: async () => {} },
  })
  const r = await engine.run({ kind, trigger: 'manual', ...request })
  if (r === 'busy') throw new Error('sync busy')
  stack.deps.readModel.invalidate()
  return (await getRun(stack.deps.db, r.runId))!
}

export async function sandboxAdmin(stack: Stack, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.sandboxUrl}/sandbox/admin/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = await res.json()
  if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

export async function memberRow(stack: Stack, userid: string) {
  const [row] = await stack.deps.db.query<{ userid: string; name: string; status: number; disabled_at: Date | null; position: string; department_ids: number[] }>(
    'select userid, name, status, disabled_at, position, department_ids from members where userid = $1',
    [userid],
  )
  return row
}
