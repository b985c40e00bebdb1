import { z } from 'zod'

export const faultSchema = z.strictObject({
  path: z.string().refine((p) => p === '*' || p.startsWith('/cgi-bin/'), "path must be '*' or start with /cgi-bin/"),
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
  httpStatus: z.number().int().min(200).max(599).optional(),
  latencyMs: z.number().min(0).max(600_000).optional(),
  drop: z.literal(true).optional(),
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
})

export const settingsSchema = z.strictObject({
  tokenExpiresIn: z.number().int().min(1).optional(),
  trustedDomain: z.string().min(1).optional(),
  ipAllowlist: z.array(z.string()).optional(),
})

export const memberPatchSchema = z.strictObject({
  status: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(5)]).optional(),
})

export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
}
