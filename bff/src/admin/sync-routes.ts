import { adminEndpoints } from '@portal/shared'
import { Hono } from 'hono'
import { z } from 'zod/mini'
import type { AppEnv } from '../app-env'
import type { Db } from '../db'
import { getRun, holdPreview, listRuns, markConfirmed } from '../directory/sync-runs'
import type { SyncService } from '../directory/sync-service'
import { ApiFailure } from '../errors'
import { parseBody } from '../http/parse-body'
import { intParam } from '../http/query-params'
import { writeAudit } from './audit'

const ID_MAX = 2 ** 31 - 1
/** POST /api/admin/sync/runs: the body is optional; `kind` defaults to a full sync. */
const startSyncSchema = z.object({ kind: z.optional(z.enum(['full', 'force'])) })

export interface SyncRoutesNeeds {
  db: Db
  now: () => number
  sync: Pick<SyncService, 'start'>
}

/** Sync control: runs, start, a held run's preview and its confirmation. Mounted behind requireMember + requireRole('admin'). */
export function syncRoutes(deps: SyncRoutesNeeds) {
  const { sync } = deps
  return new Hono<AppEnv>()
    .get(adminEndpoints.syncRuns.path, async (c) => {
      const limit = intParam(c.req.query('limit'), 'limit', 20, 1, 100)
      const before = intParam(c.req.query('before'), 'before', undefined, 1, ID_MAX)
      return c.json({ items: await listRuns(deps.db, limit, before) })
    })
    .get(adminEndpoints.syncRun.path, async (c) => {
      const run = await getRun(deps.db, intParam(c.req.param('id'), 'id', 0, 1, ID_MAX))
      if (!run) throw new ApiFailure('not_found', 'No such sync run.')
      return c.json(run)
    })
    .post(adminEndpoints.startSync.path, async (c) => {
      const kind = (await parseBody(c, startSyncSchema, { optional: true })).kind ?? 'full'
      // Rejects with 409 when another run holds the lock.
      const runId = await sync.start({ kind, trigger: 'manual' }).runId
      await writeAudit(deps.db, { actor: c.get('member').userid, action: 'sync_start', target: `run ${runId}`, detail: kind, at: new Date(deps.now()) })
      return c.json((await getRun(deps.db, runId))!, 202)
    })
    .get(adminEndpoints.syncPreview.path, async (c) => {
      const preview = await holdPreview(deps.db, intParam(c.req.param('id'), 'id', 0, 1, ID_MAX))
      if (preview === 'unknown') throw new ApiFailure('not_found', 'No such sync run.')
      if (preview === 'not_held') throw new ApiFailure('conflict', 'Only a held run has a preview.')
      return c.json(preview, 200, { 'Cache-Control': 'no-store' })
    })
    .post(adminEndpoints.confirmSync.path, async (c) => {
      const held = await getRun(deps.db, intParam(c.req.param('id'), 'id', 0, 1, ID_MAX))
      if (!held) throw new ApiFailure('not_found', 'No such sync run.')
      if (held.status !== 'held' || !held.hold) throw new ApiFailure('conflict', 'Only a held run can be confirmed.')
      const runId = await sync.start({ kind: held.kind, trigger: 'manual', allowDisableUpTo: held.hold.wouldDisable }).runId
      await deps.db.transaction(async (tx) => {
        await markConfirmed(tx, held.id, runId)
        const detail = `run ${runId} may disable up to ${held.hold!.wouldDisable}`
        await writeAudit(tx, { actor: c.get('member').userid, action: 'sync_confirm', target: `run ${held.id}`, detail, at: new Date(deps.now()) })
      })
      return c.json((await getRun(deps.db, runId))!, 202)
    })
}
