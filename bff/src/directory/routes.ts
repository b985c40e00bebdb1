import { endpoints, type MemberDetail, type MemberPage, type MemberSummary, type SearchResult } from '@portal/shared'
import { promisify } from 'node:util'
import { gzip as gzipCb } from 'node:zlib'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { requireMember, type MemberGateNeeds } from '../auth/require-member'
import { ApiFailure } from '../errors'
import { listed, type DirectoryView } from './view-build'
import type { MemberRecord } from './member-store'
import { decodeCursor, encodeCursor, keyIn, pageAfter, type PageKey } from './member-page'
import { acceptsGzip, etagMatches } from '../http/conditional'
import { jsonBytes, utf8Bytes } from '../http/json-bytes'
import { intParam } from '../http/query-params'
import { withConsentedContact } from '../member-contact/merge'

const gzip = promisify(gzipCb)

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'private, no-cache' }

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

export type DirectoryRoutesNeeds = MemberGateNeeds

export function directoryRoutes(deps: DirectoryRoutesNeeds) {
  const { readModel } = deps
  // The tree compressed once per view (on the thread pool), for as long as the view lives; held
  // as the plain byte array a response body takes, so no request copies it again.
  const gzipped = new WeakMap<DirectoryView, Promise<Uint8Array<ArrayBuffer>>>()
  // Uncompressed (a client or proxy that takes no gzip): encoded once per view too.
  const plain = new WeakMap<DirectoryView, Uint8Array<ArrayBuffer>>()
  const member = requireMember(deps)
  return new Hono<AppEnv>()
    .get(endpoints.departments.path, member, async (c) => {
      const v = await readModel.current()
      // The same view gives the same tree on every instance: its version and sync time name it.
      const headers = { ...JSON_HEADERS, ETag: `"tree-${v.version}-${v.syncedAt ? new Date(v.syncedAt).getTime() : 0}"`, Vary: 'Accept-Encoding' }
      if (etagMatches(c.req.header('If-None-Match'), headers.ETag)) return c.body(null, 304, headers)
      if (!acceptsGzip(c.req.header('Accept-Encoding'))) {
        let bytes = plain.get(v)
        if (!bytes) plain.set(v, (bytes = utf8Bytes(v.treeJson)))
        return c.body(bytes, 200, headers)
      }
      let gz = gzipped.get(v)
      if (!gz) {
        gzipped.set(v, (gz = gzip(v.treeJson).then((b) => new Uint8Array(b))))
        gz.catch(() => gzipped.delete(v))
      }
      return c.body(await gz, 200, { ...headers, 'Content-Encoding': 'gzip' })
    })

    .get(endpoints.departmentMembers.path, member, async (c) => {
      const id = intParam(c.req.param('id'), 'id', 0, 1, 2 ** 31 - 1)
      const { limit, after } = pageParams(c.req.query('limit'), c.req.query('cursor'))
      const v = await readModel.current()
      if (!v.departments.has(id)) throw new ApiFailure('not_found', `No department ${id} in the directory.`)
      return c.json(memberPage(v, v.byDepartment.get(id) ?? [], id, after, limit), 200, { 'Cache-Control': 'private, no-cache' })
    })

    .get(endpoints.otherMembers.path, member, async (c) => {
      const { limit, after } = pageParams(c.req.query('limit'), c.req.query('cursor'))
      const v = await readModel.current()
      return c.json(memberPage(v, v.others, undefined, after, limit), 200, { 'Cache-Control': 'private, no-cache' })
    })

    .get(endpoints.search.path, member, async (c) => {
      const q = c.req.query('q') ?? ''
      if (q.length > 64) throw new ApiFailure('bad_request', 'q is too long (64 characters at most).', { fields: { q: 'at most 64 characters' } })
      const limit = intParam(c.req.query('limit'), 'limit', 30, 1, 100)
      const v = await readModel.current()
      const key = `search:${limit}:${q.trim().toLowerCase()}`
      let json = v.responses.get(key)
      if (json === undefined) {
        const r = v.search.search(q, limit)
        const body: SearchResult = { items: r.items.map((m) => summary(v, m)), total: r.total }
        json = jsonBytes(body)
        if (v.responses.size >= 5_000) v.responses.delete(v.responses.keys().next().value!)
        v.responses.set(key, json)
      }
      return c.body(json, 200, JSON_HEADERS)
    })

    .get(endpoints.member.path, member, async (c) => {
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
}
