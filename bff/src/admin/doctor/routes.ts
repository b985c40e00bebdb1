import { adminEndpoints } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../../app-env'
import type { Deps } from '../../deps'
import { ApiFailure } from '../../errors'
import { doctorContext } from './context'
import { runDoctor } from './run-doctor'

/** POST /api/admin/doctor `{ testMessage?: boolean }` (behind requireMember + requireRole('admin')). */
export function doctorRoutes(deps: Deps) {
  return new Hono<AppEnv>().post(adminEndpoints.adminDoctor.path, async (c) => {
    const testMessage = await readTestMessage(c.req.raw)
    const report = await runDoctor(doctorContext(deps, { testMessageTo: c.get('member').userid }), { testMessage })
    return c.json(report, 200, { 'Cache-Control': 'no-store' })
  })
}

/** The body is optional; when present it is `{ testMessage?: boolean }`. */
async function readTestMessage(req: Request): Promise<boolean> {
  const text = (await req.text()).trim()
  if (!text) return false
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ApiFailure('bad_request', 'The body must be a JSON object.', { fields: { body: 'expected JSON' } })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiFailure('bad_request', 'The body must be a JSON object.', { fields: { body: 'expected an object' } })
  const v = (body as { testMessage?: unknown }).testMessage
  if (v !== undefined && typeof v !== 'boolean') throw new ApiFailure('bad_request', 'Invalid testMessage.', { fields: { testMessage: 'expected true or false' } })
  return v === true
}
