import type { MemberDetail, MemberPage, MemberSummary, SearchResult } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { requireMember, requireRole, type MemberGateNeeds } from '../auth/require-member'
import { ApiFailure } from '../errors'
import { listed, type DirectoryView } from './read-model'
import type { SyncService } from './sync-service'
import type { MemberRecord } from './member-store'
import { decodeCursor, encodeCursor, keyIn, pageAfter, type PageKey } from './member-page'
import { writeAudit } from '../admin/audit'
import { getRun, holdPreview, listRuns, markConfirmed } from './sync-runs'
import { readJsonBody } from '../http/read-body'
import { withConsentedContact } from '../member-contact/merge'

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'private, no-cache' }

function intParam(value: string | undefined, name: string, dflt: number, min: number, max: number): number {
  if (value === undefined || value === '') return dflt
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiFailure('bad_request', `${name} must be a whole number from ${min} to ${max}.`, { fields: { [name]: `expected ${min}–${max}` } })
  return n
}

function pageParams(limit: string | undefined, cursor: string | undefined): { limit: number; after: PageKey | undefined } {
  const after = cursor ? decodeCursor(cursor) : undefined
  if (cursor && !after) throw new ApiFailure('bad_request', 'cursor is not one this API gave out: pass nextCursor as it came.', { fields: { cursor: 'a nextCursor value' } })
  return { limit: intParam(limit, 'limit', 50, 1, 200), after }
}

function memberPage(v: DirectoryView, list: readonly MemberRecord[], dep: number | undefined, after: PageKey | undefined, limit: number): MemberPage {
  const page = pageAfter(list, (m) => keyIn(m, dep), after, limit)
  return { items: page.items.map((m) => summary(v, m, dep)), nextCursor: page.next ? encodeCursor(page.next) : null, total: list.length }
}

function summary(v: DirectoryView, m: MemberRecord, inDepartment?: number): MemberSummary {
  const main = m.mainDepartment !== undefined ? v.departments.get(m.mainDepartment) : undefined
  return {
    userid: m.userid,
    name: m.name,
    ...(m.alias ? { alias: m.alias } : {}),
    position: m.position,
    ...(m.avatar ? { avatar: m.avatar } : {}),
    mainDepartment: main ? { id: main.dep.id, name: main.dep.name } : null,
    ...(inDepartment !== undefined ? { isLeader: m.departments.some((x) => x.departmentId === inDepartment && x.isLeader) } : {}),
  }
}

export interface DirectoryRoutesNeeds extends MemberGateNeeds {
  sync: SyncService
}

export function directoryRoutes(deps: DirectoryRoutesNeeds) {
  const { readModel, sync } = deps
  const member = requireMember(deps)
  return new Hono<AppEnv>()
    .get('/api/directory/departments', member, async (c) => c.body((await readModel.current()).treeJson, 200, JSON_HEADERS))

    .get('/api/directory/departments/:id/members', member, async (c) => {
      const id = intParam(c.req.param('id'), 'id', 0, 1, 2 ** 31 - 1)
      const { limit, after } = pageParams(c.req.query('limit'), c.req.query('cursor'))
      const v = await readModel.current()
      if (!v.departments.has(id)) throw new ApiFailure('not_found', `No department ${id} in the directory.`)
      return c.json(memberPage(v, v.byDepartment.get(id) ?? [], id, after, limit), 200, { 'Cache-Control': 'private, no-cache' })
    })

    .get('/api/directory/other-members', member, async (c) => {
      const { limit, after } = pageParams(c.req.query('limit'), c.req.query('cursor'))
      const v = await readModel.current()
      return c.json(memberPage(v, v.others, undefined, after, limit), 200, { 'Cache-Control': 'private, no-cache' })
    })

    .get('/api/directory/search', member, async (c) => {
      const q = c.req.query('q') ?? ''
      if (q.length > 64) throw new ApiFailure('bad_request', 'q is too long (64 characters at most).', { fields: { q: 'at most 64 characters' } })
      const limit = intParam(c.req.query('limit'), 'limit', 30, 1, 100)
      const v = await readModel.current()
      const key = `search:${limit}:${q.trim().toLowerCase()}`
      let json = v.responses.get(key)
      if (json === undefined) {
        const r = v.search.search(q, limit)
        const body: SearchResult = { items: r.items.map((m) => summary(v, m)), total: r.total }
        json = JSON.stringify(body)
        if (v.responses.size >= 5_000) v.responses.delete(v.responses.keys().next().value!)
        v.responses.set(key, json)
      }
      return c.body(json, 200, JSON_HEADERS)
    })

    .get('/api/directory/members/:userid', member, async (c) => {
      const v = await readModel.current()
      const m = v.members.get(c.req.param('userid').toLowerCase())
      if (!m || !listed(m)) throw new ApiFailure('not_found', 'No such member in the directory.')
      const body: MemberDetail = {
        ...summary(v, m),
        departments: m.departments.flatMap((x) => {
          const d = v.departments.get(x.departmentId)
          return d ? [{ id: d.dep.id, name: d.dep.name, path: d.path, isLeader: x.isLeader }] : []
        }),
        directLeaders: m.directLeaders.map((u) => ({ userid: u, name: v.members.get(u.toLowerCase())?.name ?? u })),
        ...(m.gender === 1 ? { gender: 'male' as const } : m.gender === 2 ? { gender: 'female' as const } : {}),
        ...(m.mobile ? { mobile: m.mobile } : {}),
        ...(m.telephone ? { telephone: m.telephone } : {}),
        ...(m.email ? { email: m.email } : {}),
        ...(m.bizMail ? { bizMail: m.bizMail } : {}),
      }
      return c.json(await withConsentedContact(deps.db, body), 200, { 'Cache-Control': 'private, no-cache' })
    })

    // Sync control (admins). The admin console (a later issue) builds on these.
    .get('/api/admin/sync/runs', member, requireRole('admin'), async (c) => {
      const limit = intParam(c.req.query('limit'), 'limit', 20, 1, 100)
      const before = c.req.query('before') ? intParam(c.req.query('before'), 'before', 0, 1, 2 ** 31 - 1) : undefined
      return c.json({ items: await listRuns(deps.db, limit, before) })
    })
    .get('/api/admin/sync/runs/:id', member, requireRole('admin'), async (c) => {
      const run = await getRun(deps.db, intParam(c.req.param('id'), 'id', 0, 1, 2 ** 31 - 1))
      if (!run) throw new ApiFailure('not_found', 'No such sync run.')
      return c.json(run)
    })
    .post('/api/admin/sync/runs', member, requireRole('admin'), async (c) => {
      const body = await readJsonBody(c, { optional: true })
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        throw new ApiFailure('bad_request', 'The body must be a JSON object.', { fields: { body: 'expected an object' } })
      }
      const kind = (body as { kind?: unknown } | undefined)?.kind ?? 'full'
      if (kind !== 'full' && kind !== 'force') throw new ApiFailure('bad_request', 'kind must be "full" or "force".', { fields: { kind: 'full | force' } })
      // Rejects with 409 when another run holds the lock.
      const runId = await sync.start({ kind, trigger: 'manual' }).runId
      await writeAudit(deps.db, { actor: c.get('member').userid, action: 'sync_start', target: `run ${runId}`, detail: kind, at: new Date(deps.now()) })
      return c.json((await getRun(deps.db, runId))!, 202)
    })
    .get('/api/admin/sync/runs/:id/preview', member, requireRole('admin'), async (c) => {
      const preview = await holdPreview(deps.db, intParam(c.req.param('id'), 'id', 0, 1, 2 ** 31 - 1))
      if (preview === 'unknown') throw new ApiFailure('not_found', 'No such sync run.')
      if (preview === 'not_held') throw new ApiFailure('conflict', 'Only a held run has a preview.')
      return c.json(preview, 200, { 'Cache-Control': 'no-store' })
    })
    .post('/api/admin/sync/runs/:id/confirm', member, requireRole('admin'), async (c) => {
      const held = await getRun(deps.db, intParam(c.req.param('id'), 'id', 0, 1, 2 ** 31 - 1))
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
