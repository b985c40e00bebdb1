import type { Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { parseBody } from './body'
import { deliverEvent } from '../callbacks/delivery'
import { defaultErrmsg } from '../errors'
import { departmentJson, userGetJson } from '../directory/member-json'
import { createDepartment, deleteDepartment, updateDepartment } from '../directory/org-changes-dept'
import { createUser, deleteUser, updateUser, type ChangeOutcome } from '../directory/org-changes-user'
import { departmentCreateSchema, departmentPatchSchema, userCreateSchema, userPatchSchema } from '../directory/org-schemas'
import type { SandboxState } from '../state'

const BASE = '/sandbox/admin/org'

/**
 * Changes to the in-memory org, as an admin would make them in WeCom's console. Each one is
 * applied, then — if a callback is configured and the app can see what changed — the matching
 * change_contact event is delivered; the answer includes that delivery after its first attempt
 * (`callback`, null when nothing was sent). Refusals carry WeCom's errcode for the same mistake.
 */
export function registerAdminOrg(app: Hono, s: SandboxState): void {
  app.post(`${BASE}/users`, async (c) => {
    const body = await parseBody(c, userCreateSchema)
    if (!body.ok) return body.res
    return answer(c, s, createUser(s, body.value, origin(c)), (m) => ({ user: userGetJson(m, origin(c)) }))
  })

  app.patch(`${BASE}/users/:userid`, async (c) => {
    const body = await parseBody(c, userPatchSchema)
    if (!body.ok) return body.res
    return answer(c, s, updateUser(s, c.req.param('userid'), body.value, origin(c)), (m) => ({ user: userGetJson(m, origin(c)) }))
  })

  app.delete(`${BASE}/users/:userid`, (c) => answer(c, s, deleteUser(s, c.req.param('userid')), (v) => v))

  app.post(`${BASE}/departments`, async (c) => {
    const body = await parseBody(c, departmentCreateSchema)
    if (!body.ok) return body.res
    return answer(c, s, createDepartment(s, body.value), (d) => ({ department: departmentJson(d) }))
  })

  app.patch(`${BASE}/departments/:id`, async (c) => {
    const id = departmentId(c)
    if (id === undefined) return notFound(c)
    const body = await parseBody(c, departmentPatchSchema)
    if (!body.ok) return body.res
    return answer(c, s, updateDepartment(s, id, body.value), (d) => ({ department: departmentJson(d) }))
  })

  app.delete(`${BASE}/departments/:id`, (c) => {
    const id = departmentId(c)
    if (id === undefined) return notFound(c)
    return answer(c, s, deleteDepartment(s, id), (v) => v)
  })
}

async function answer<T>(c: Context, s: SandboxState, outcome: ChangeOutcome<T>, shape: (value: T) => object): Promise<Response> {
  if (!outcome.ok) {
    const errmsg = outcome.errmsg ?? defaultErrmsg(outcome.errcode)
    return c.json({ errcode: outcome.errcode, errmsg }, outcome.httpStatus as ContentfulStatusCode)
  }
  const callback = outcome.event ? await deliverEvent(s, outcome.event) : null
  return c.json({ errcode: 0, errmsg: 'ok', ...shape(outcome.value), callback })
}

function departmentId(c: Context): number | undefined {
  const raw = c.req.param('id') ?? ''
  return /^\d{1,10}$/.test(raw) ? Number(raw) : undefined
}

function notFound(c: Context): Response {
  return c.json({ errcode: 60003, errmsg: defaultErrmsg(60003) }, 404)
}

/** Avatar links in answers and events point at the sandbox itself. */
function origin(c: Context): string {
  return new URL(c.req.url).origin
}
