import { z } from 'zod/mini'

/** Every error the BFF returns, on every endpoint, has this one shape. */
export const errorCodes = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'wecom_error',
  'internal',
  /** This instance cannot serve yet or right now (starting, database unreachable): try another or later. */
  'unavailable',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    /** What an admin or user can do about it, when we know. */
    hint: z.optional(z.string()),
    /** The WeCom errcode behind a `wecom_error`. */
    errcode: z.optional(z.int()),
    /** Field-level problems for `bad_request`: path → message. */
    fields: z.optional(z.record(z.string(), z.string())),
    requestId: z.optional(z.string()),
  }),
})
export type ApiError = z.infer<typeof apiErrorSchema>

export const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  wecom_error: 502,
  internal: 500,
  unavailable: 503,
}
