import type { Context, Hono } from 'hono'
import type { z } from 'zod'
import { faultSchema, issuesText, memberPatchSchema, settingsSchema } from './admin-schemas'
import { addFault } from './faults'
import { findMember } from './org-index'
import { resetState, type SandboxState } from './state'
import { revokeTokens } from './tokens'

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
    const { tokenExpiresIn, trustedDomain, ipAllowlist } = patch.value
    if (tokenExpiresIn !== undefined) s.settings.tokenExpiresIn = tokenExpiresIn
    if (trustedDomain !== undefined) s.settings.trustedDomain = trustedDomain
    if (ipAllowlist !== undefined) s.settings.ipAllowlist = [...ipAllowlist]
    return ok(c, { settings: s.settings })
  })

  app.get(`${BASE}/stats`, (c) =>
    ok(c, { calls: Object.fromEntries(s.calls), ...pick(s.counters, ['tokensIssued', 'codesIssued', 'faultsApplied']) }),
  )
  app.post(`${BASE}/reset`, (c) => {
    resetState(s)
    return ok(c)
  })
  app.post(`${BASE}/tokens/revoke`, (c) => ok(c, { revoked: revokeTokens(s) }))

  app.post(`${BASE}/members/:userid`, async (c) => {
    const member = findMember(s.directory, c.req.param('userid'))
    if (!member) return c.json({ errcode: 60111, errmsg: `userid not found: ${c.req.param('userid')}` }, 404)
    const patch = await parseBody(c, memberPatchSchema)
    if (!patch.ok) return patch.res
    if (patch.value.status !== undefined) {
      if (!s.originalStatuses.has(member.userid)) s.originalStatuses.set(member.userid, member.status)
      member.status = patch.value.status
    }
    return ok(c, { userid: member.userid, status: member.status })
  })
}

type Parsed<T> = { ok: true; value: T } | { ok: false; res: Response }

async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.infer<S>>> {
  const text = await c.req.text()
  let body: unknown = {}
  try {
    if (text.trim()) body = JSON.parse(text)
  } catch {
    return { ok: false, res: c.json({ errcode: 40058, errmsg: 'Warning: wrong json format.' }, 400) }
  }
  const result = schema.safeParse(body)
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, res: c.json({ errcode: 40058, errmsg: `invalid Request Parameter: ${issuesText(result.error)}` }, 400) }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>
}
