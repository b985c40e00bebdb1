import { z } from 'zod'
import { callbackConfigSchema } from '../callbacks/schemas'

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
  visibleRange: z
    .strictObject({ departments: z.array(z.number().int().min(1)), users: z.array(z.string().min(1)), tags: z.array(z.number().int().min(1)).optional() })
    .optional(),
  /** The corp's tags, replacing the ones there are. Names: 1–32 characters, unique (tag/create's rules, 90210). */
  tags: z
    .array(
      z.strictObject({
        tagid: z.number().int().min(1).max(2 ** 31 - 1),
        tagname: z.string().min(1).max(32),
        users: z.array(z.string().min(1)),
        departments: z.array(z.number().int().min(1)),
      }),
    )
    .optional(),
  limits: z.strictObject({ perMinutePerApi: z.number().int().min(1).optional(), maxConcurrentPerApi: z.number().int().min(0).optional() }).optional(),
  maxListResponse: z.number().int().min(1).optional(),
  callback: callbackConfigSchema.nullable().optional(),
  /** Exactly two: WeCom makes 3 attempts in all. */
  callbackRetryDelaysMs: z.array(z.number().int().min(0).max(600_000)).length(2).optional(),
  unlicensedUsers: z.array(z.string().min(1)).optional(),
})

export type SettingsPatch = z.infer<typeof settingsSchema>

export const memberPatchSchema = z.strictObject({
  status: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(5)]).optional(),
})

export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
}
