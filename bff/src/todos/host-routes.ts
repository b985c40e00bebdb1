import { endpoints, hostNotificationInputSchema, hostTodoInputSchema, hostTodoPatchSchema } from '@portal/shared'
import { Hono } from 'hono'
import { ApiFailure } from '../errors'
import { parseBody } from '../http/parse-body'
import { requireHost, type HostEnv, type HostGateNeeds } from './host-auth'
import { queueHostNotification, type HostNotifyNeeds } from '../notify/member-messages'
import { patchHostTodo, upsertHostTodo, type HostTodoNeeds } from './host-todos'
import { hostOpenApi } from './openapi'
import { toHostTodo } from './todo-view'

const NO_STORE = { 'Cache-Control': 'no-store' }

export type HostRoutesNeeds = HostGateNeeds & HostTodoNeeds & HostNotifyNeeds

/** The API the existing self-built app (the host) pushes its tasks and notifications through. */
export function hostRoutes(deps: HostRoutesNeeds) {
  const host = requireHost(deps)
  let openApiJson: string | undefined
  return new Hono<HostEnv>()
    .get(endpoints.hostOpenApi.path, (c) => {
      openApiJson ??= JSON.stringify(hostOpenApi(deps.config.publicUrl), null, 2)
      return c.body(openApiJson, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' })
    })
    .post(endpoints.hostUpsertTodo.path, host, async (c) => {
      const input = await parseBody(c, hostTodoInputSchema)
      const { todo, created } = await upsertHostTodo(deps, c.get('host'), input)
      return c.json(toHostTodo(todo), created ? 201 : 200, NO_STORE)
    })
    .patch(endpoints.hostPatchTodo.path, host, async (c) => {
      const patch = await parseBody(c, hostTodoPatchSchema)
      const { todo } = await patchHostTodo(deps, c.get('host'), c.req.param('externalId'), patch)
      return c.json(toHostTodo(todo), 200, NO_STORE)
    })
    .post(endpoints.hostNotify.path, host, async (c) => {
      const key = c.req.header('idempotency-key')
      if (key !== undefined && !/^[\x21-\x7E]{1,128}$/.test(key)) {
        throw new ApiFailure('bad_request', 'Idempotency-Key must be 1–128 visible ASCII characters.', { fields: { 'Idempotency-Key': 'expected 1–128 visible ASCII characters' } })
      }
      const input = await parseBody(c, hostNotificationInputSchema)
      return c.json(await queueHostNotification(deps, c.get('host'), input, key), 202, NO_STORE)
    })
}
