import type { Context, Hono } from 'hono'
import { parseBody } from './body'
import { apiConnectionStats } from '../api-connections'
import { faultSchema, memberPatchSchema, settingsSchema, type SettingsPatch } from './schemas'
import { deliverEvent } from '../callbacks/delivery'
import { addFault } from '../faults'
import { updateUser } from '../directory/org-changes-user'
import { findMember } from '../directory/org-index'
import { copyTag } from '../options'
import { resetState, type SandboxState } from '../state'
import { revokeTokens } from '../tickets/tokens'

const BASE = '/sandbox/admin'

/** Test controls (JSON). Not part of WeCom; errcodes here are the sandbox's own. */
export function registerAdmin(app: Hono, s: SandboxState): void {
  const ok = (c: Context, body: object = {}) => c.json({ errcode: 0, errmsg: 'ok', ...body })

  app.post(`${BASE}/faults`, async (c) => {
    const spec = await parseBody(c, faultSchema)
    if (!spec.ok) return spec.res
    return ok(c, { id: addFault(s, spec.value).id })
  })
  app.get(`${BASE}/faults`, (c) => ok(c, { faults: s.faults }))
  app.delete(`${BASE}/faults`, (c) => {
    s.faults.length = 0
    return ok(c)
  })
  app.delete(`${BASE}/faults/:id`, (c) => {
    const at = s.faults.findIndex((f) => f.id === c.req.param('id'))
    if (at === -1) return c.json({ errcode: 404, errmsg: `no fault ${c.req.param('id')}` }, 404)
    s.faults.splice(at, 1)
    return ok(c)
  })

  app.get(`${BASE}/settings`, (c) => ok(c, { settings: s.settings }))
  app.post(`${BASE}/settings`, async (c) => {
    const patch = await parseBody(c, settingsSchema)
    if (!patch.ok) return patch.res
    const unknown = unknownInRange(s, patch.value)
    if (unknown) return c.json({ errcode: 40058, errmsg: `invalid Request Parameter: ${unknown}` }, 400)
    applySettings(s, patch.value)
    return ok(c, { settings: s.settings })
  })

  app.get(`${BASE}/stats`, (c) =>
    ok(c, { calls: Object.fromEntries(s.calls), ...pick(s.counters, ['tokensIssued', 'codesIssued', 'faultsApplied', 'messagesDelivered']), apiConnections: apiConnectionStats(s.apiConnections) }),
  )
  app.post(`${BASE}/reset`, (c) => {
    resetState(s)
    return ok(c)
  })
  app.post(`${BASE}/tokens/revoke`, (c) => ok(c, { revoked: revokeTokens(s) }))

  // Kept for existing callers; PATCH /sandbox/admin/org/users/:userid does the same and more.
  app.post(`${BASE}/members/:userid`, async (c) => {
    const member = findMember(s.directory, c.req.param('userid'))
    if (!member) return c.json({ errcode: 60111, errmsg: `userid not found: ${c.req.param('userid')}` }, 404)
    const patch = await parseBody(c, memberPatchSchema)
    if (!patch.ok) return patch.res
    const result = updateUser(s, member.userid, patch.value, new URL(c.req.url).origin)
    if (!result.ok) return c.json({ errcode: result.errcode, errmsg: result.errmsg ?? 'refused' }, result.httpStatus)
    if (result.event) await deliverEvent(s, result.event)
    return ok(c, { userid: member.userid, status: member.status })
  })
}

/** Every settings object is replaced, not mutated, so cached views keyed on it notice. */
function applySettings(s: SandboxState, p: SettingsPatch): void {
  const next = { ...s.settings }
  if (p.tokenExpiresIn !== undefined) next.tokenExpiresIn = p.tokenExpiresIn
  if (p.trustedDomain !== undefined) next.trustedDomain = p.trustedDomain
  if (p.ipAllowlist !== undefined) next.ipAllowlist = [...p.ipAllowlist]
  if (p.visibleRange !== undefined) {
    next.visibleRange = { departments: [...p.visibleRange.departments], users: p.visibleRange.users.map((u) => u.toLowerCase()), tags: [...(p.visibleRange.tags ?? [])] }
  }
  if (p.tags !== undefined) next.tags = p.tags.map(copyTag)
  if (p.limits !== undefined) next.limits = { ...s.settings.limits, ...p.limits }
  if (p.maxListResponse !== undefined) next.maxListResponse = p.maxListResponse
  if (p.callback !== undefined) next.callback = p.callback ? { ...p.callback } : null
  if (p.callbackRetryDelaysMs !== undefined) next.callbackRetryDelaysMs = [...p.callbackRetryDelaysMs]
  if (p.unlicensedUsers !== undefined) next.unlicensedUsers = p.unlicensedUsers.map((u) => u.toLowerCase())
  s.settings = next
}

/** The console only offers existing departments, members and tags; tag ids and names are unique. */
function unknownInRange(s: SandboxState, p: SettingsPatch): string | undefined {
  if (!p.visibleRange && !p.tags) return undefined
  const tags = p.tags ?? s.settings.tags
  const range = p.visibleRange ?? s.settings.visibleRange
  const dept = [...(p.visibleRange?.departments ?? []), ...(p.tags ?? []).flatMap((t) => t.departments)].find((id) => !s.directory.departments.has(id))
  if (dept !== undefined) return `unknown department ${dept}`
  const user = [...(p.visibleRange?.users ?? []), ...(p.tags ?? []).flatMap((t) => t.users)].find((u) => !findMember(s.directory, u))
  if (user !== undefined) return `unknown userid ${user}`
  const tag = (range.tags ?? []).find((id) => !tags.some((t) => t.tagid === id))
  if (tag !== undefined) return `unknown tag ${tag}`
  const ids = new Set(tags.map((t) => t.tagid))
  const names = new Set(tags.map((t) => t.tagname))
  return ids.size < tags.length || names.size < tags.length ? 'tags with the same tagid or tagname' : undefined
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>
}
