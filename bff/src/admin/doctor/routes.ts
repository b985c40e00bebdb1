import { adminEndpoints } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../../app-env'
import { z } from 'zod/mini'
import { parseBody } from '../../http/parse-body'
import { doctorContext, type DoctorNeeds } from './context'
import { runDoctor } from './run-doctor'

export type DoctorRoutesNeeds = DoctorNeeds

/** The body is optional; when present it is `{ testMessage?: boolean }`. */
const doctorRequestSchema = z.object({ testMessage: z.optional(z.boolean()) })

/** POST /api/admin/doctor `{ testMessage?: boolean }` (behind requireMember + requireRole('admin')). */
export function doctorRoutes(deps: DoctorRoutesNeeds) {
  return new Hono<AppEnv>().post(adminEndpoints.adminDoctor.path, async (c) => {
    const testMessage = (await parseBody(c, doctorRequestSchema, { optional: true })).testMessage === true
    const report = await runDoctor(doctorContext(deps, { testMessageTo: c.get('member').userid }), { testMessage })
    return c.json(report, 200, { 'Cache-Control': 'no-store' })
  })
}
