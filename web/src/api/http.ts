import { apiErrorSchema, type ErrorCode } from '@portal/shared'
import { appUrl } from '../lib/app-base'
import { useI18n } from '../i18n/use-i18n'

/** `network`: no HTTP answer at all; `invalid_response`: an answer we cannot read. */
export type RequestErrorCode = ErrorCode | 'network' | 'invalid_response'

// `declare`: the constructor assigns every field. Field declarations would compile (for es2020)
// to defineProperty helpers, ~0.6 KB gzip of the first load for this one class.
export class ApiRequestError extends Error {
  declare readonly status: number
  declare readonly code: RequestErrorCode
  declare readonly hint?: string
  declare readonly errcode?: number
  declare readonly requestId?: string
  /** Per-field messages of a `bad_request` (form key → message). */
  declare readonly fields?: Readonly<Record<string, string>>

  constructor(init: {
    status: number
    code: RequestErrorCode
    message: string
    hint?: string
    errcode?: number
    requestId?: string
    fields?: Record<string, string>
  }) {
    super(init.message)
    this.name = 'ApiRequestError'
    this.status = init.status
    this.code = init.code
    this.hint = init.hint
    this.errcode = init.errcode
    this.requestId = init.requestId
    this.fields = init.fields
  }
}

/** What a failed call threw, as the error the UI shows: anything but an ApiRequestError means no answer. */
export function toRequestError(e: unknown): ApiRequestError {
  return e instanceof ApiRequestError ? e : new ApiRequestError({ status: 0, code: 'network', message: String(e) })
}

/** Without the BFF's error body (a proxy's HTML page, say) the status still tells us enough. */
function codeForStatus(status: number): RequestErrorCode {
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'internal'
  return 'invalid_response'
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response
  try {
    res = await fetch(appUrl(path), {
      ...init,
      credentials: 'same-origin',
      // The UI's language (it may differ from the browser's): admin validation messages follow it.
      headers: { accept: 'application/json', 'accept-language': useI18n().lang.value, ...init.headers },
    })
  } catch (cause) {
    throw new ApiRequestError({ status: 0, code: 'network', message: String(cause) })
  }
  if (res.ok) return res

  const body: unknown = await res.json().catch(() => undefined)
  const parsed = apiErrorSchema.safeParse(body)
  if (parsed.success) {
    const e = parsed.data.error
    throw new ApiRequestError({
      status: res.status,
      code: e.code,
      message: e.message,
      hint: e.hint,
      errcode: e.errcode,
      requestId: e.requestId,
      fields: e.fields,
    })
  }
  throw new ApiRequestError({ status: res.status, code: codeForStatus(res.status), message: `HTTP ${res.status}` })
}

/** The part of a shared zod schema we use; keeps web free of a direct zod dependency. */
export interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } }
}

/** GET/POST a JSON endpoint and check the answer against the shared schema. */
export async function requestJson<T>(path: string, schema: ResponseSchema<T>, init?: RequestInit): Promise<T> {
  const res = await send(path, init)
  const body: unknown = await res.json().catch(() => undefined)
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    throw new ApiRequestError({ status: res.status, code: 'invalid_response', message: parsed.error.message })
  }
  return parsed.data
}

/** For endpoints that answer 204. */
export async function requestVoid(path: string, init?: RequestInit): Promise<void> {
  await send(path, init)
}
