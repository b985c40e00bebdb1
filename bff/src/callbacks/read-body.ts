/** The request body was (or announced it would be) larger than allowed. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError'
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`)
  }
}

/**
 * The body as UTF-8 text, refusing more than `maxBytes` without buffering it: an honest
 * Content-Length is refused before reading, and a chunked or lying body is cut off as soon
 * as it crosses the cap (the rest is never pulled from the socket).
 */
export async function readCappedText(req: Request, maxBytes: number): Promise<string> {
  const declared = req.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw new BodyTooLargeError(maxBytes)
  if (!req.body) return ''
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
  return Buffer.concat(chunks, total).toString('utf8')
}
