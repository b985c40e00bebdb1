import type { Context } from 'hono'
import { ApiFailure } from '../errors'

/** What a JSON request body may hold at most unless a route says otherwise: 1,000 userids of 64 characters fit; anything much bigger is a mistake or an attack. */
export const BODY_LIMIT = 256 * 1024

/** The request body was (or announced it would be) larger than allowed. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError'
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`)
  }
}

/**
 * The body's bytes, refusing more than `maxBytes` without buffering it: an honest
 * Content-Length is refused before reading, and a chunked or lying body is cut off as soon
 * as it crosses the cap (the rest is never pulled from the socket).
 */
export async function readCappedBytes(req: Request, maxBytes: number, opts: { framed?: boolean } = {}): Promise<Buffer> {
  const declared = req.headers.get('content-length')
  const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined
  if (length !== undefined && length > maxBytes) throw new BodyTooLargeError(maxBytes)
  if (length !== undefined && opts.framed && req.method !== 'GET' && req.method !== 'HEAD') {
    // Node's HTTP parser delivers exactly `length` bytes: read at once. @hono/node-server then
    // reads the socket directly, where `req.body` built a web Request, its AbortSignal and a
    // ReadableStream per request: a sixth of a host API create's CPU (profiled). Checked anyway.
    const bytes = Buffer.from(await req.arrayBuffer())
    if (bytes.byteLength > maxBytes) throw new BodyTooLargeError(maxBytes)
    return bytes
  }
  if (!req.body) return Buffer.alloc(0)
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new BodyTooLargeError(maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total)
}

/** The capped body as UTF-8 text (invalid bytes become U+FFFD). */
export async function readCappedText(req: Request, maxBytes: number): Promise<string> {
  return (await readCappedBytes(req, maxBytes)).toString('utf8')
}

/**
 * The capped body of a request being answered through `c`. When it is too large the rest of
 * it is left unread on the socket, where the server would take it for the next request on a
 * keep-alive connection and silently never answer that one: the answer says `Connection: close`.
 */
export async function readRequestBytes(c: Context, maxBytes: number): Promise<Buffer> {
  try {
    // Served by @hono/node-server (its bindings carry Node's request): the body is framed by Node.
    const framed = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined
    return await readCappedBytes(c.req.raw, maxBytes, { framed })
  } catch (e) {
    if (e instanceof BodyTooLargeError) c.header('Connection', 'close')
    throw e
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const MAX_DEPTH = 32
// eslint-disable-next-line no-control-regex
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const bad = (message: string, problem: string) => new ApiFailure('bad_request', message, { fields: { body: problem } })

/**
 * The one reader of JSON request bodies: at most `maxBytes`, UTF-8, JSON, nested at most 32
 * deep, and no string (value or key) holding NUL or a lone surrogate, which PostgreSQL's text
 * cannot store. Every refusal is a 4xx in the shared error shape. `optional`: an empty body is
 * `undefined` instead of a 400.
 */
export async function readJsonBody(c: Context, opts: { maxBytes?: number; optional?: boolean } = {}): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? BODY_LIMIT
  let bytes: Buffer
  try {
    bytes = await readRequestBytes(c, maxBytes)
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e
    throw new ApiFailure('payload_too_large', `The body is too large (${Math.round(maxBytes / 1024)} KiB at most).`, { fields: { body: 'too large' } })
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw bad('The body must be UTF-8 encoded JSON.', 'expected UTF-8')
  }
  if (!text.trim()) {
    if (opts.optional) return undefined
    throw bad('The body must be a JSON object.', 'expected JSON')
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw bad('The body must be a JSON object.', 'expected JSON')
  }
  checkStrings(body)
  return body
}

/** Refuses NUL, lone surrogates and deep nesting anywhere in a parsed JSON value (no recursion). */
function checkStrings(root: unknown): void {
  const stack: [unknown, number][] = [[root, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (typeof v === 'string') {
      if (NUL_OR_LONE_SURROGATE.test(v)) throw bad('The body holds a NUL character or a lone surrogate (not valid text).', 'NUL or lone surrogate in a string')
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) throw bad(`The body is nested too deeply (${MAX_DEPTH} levels at most).`, 'nested too deeply')
      for (const [k, x] of Object.entries(v)) stack.push([k, depth + 1], [x, depth + 1])
    }
  }
}
