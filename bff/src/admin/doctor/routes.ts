import { adminEndpoints } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../../app-env'
import { ApiFailure } from '../../errors'
import { readJsonBody } from '../../http/read-body'
import { doctorContext, type DoctorNeeds } from './context'
import { runDoctor } from './run-doctor'

export type DoctorRoutesNeeds = DoctorNeeds

/** POST /api/admin/doctor `{ testMessage?: boolean }` (behind requireMember + requireRole('admin')). */
export function doctorRoutes(deps: DoctorRoutesNeeds) {
  return new Hono<AppEnv>().post(adminEndpoints.adminDoctor.path, async (c) => {
    const testMessage = readTestMessage(await readJsonBody(c, { optional: true }))
    const report = await runDoctor(doctorContext(deps, { testMessageTo: c.get('member').userid }), { testMessage })
    return c.json(report, 200, { 'Cache-Control': 'no-store' })
  })
}

/** The body is optional; when present it is `{ testMessage?: boolean }`. */
function readTestMessage(body: unknown): boolean {
  if (body === undefined) return false
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiFailure('bad_request', 'The body must be a JSON object.', { fields: { body: 'expected an object' } })
  const v = (body as { testMessage?: unknown }).testMessage
  if (v !== undefined && typeof v !== 'boolean') throw new ApiFailure('bad_request', 'Invalid testMessage.', { fields: { testMessage: 'expected true or false' } })
  return v === true
}
