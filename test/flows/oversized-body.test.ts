import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chunkedRequest, exchange, plainGet } from '../support/raw-http'
import { startStack, type Stack } from '../support/stack'

const KEY = 'oa-oversize-key-0123456789abcdef'

let stack: Stack
beforeAll(async () => {
  stack = await startStack({ env: { HOST_API_KEYS: `oa:${KEY}` } })
})
afterAll(() => stack.close())

// Issue 10: after a 413 on an oversized chunked body the server said keep-alive and then never
// answered the next request on that connection (the unread rest of the body stalled it).
describe('an oversized chunked body on a keep-alive connection', () => {
  const callbackPath = () => `/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`
  const host = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
  const cases: [string, () => Buffer][] = [
    // 700 KiB: past the callback's 512 KiB envelope cap.
    ['the WeCom callback', () => chunkedRequest('POST', callbackPath(), { 'content-type': 'text/xml' }, 700)],
    // 300 KiB: past the host API's 256 KiB.
    ['host POST /api/host/todos', () => chunkedRequest('POST', '/api/host/todos', host, 300)],
    ['host PATCH /api/host/todos/:id', () => chunkedRequest('PATCH', '/api/host/todos/x', host, 300)],
    ['host POST /api/host/notifications', () => chunkedRequest('POST', '/api/host/notifications', host, 300)],
  ]

  it.each(cases)('%s: 413 with Connection: close, so the next request is never silently dropped', async (_label, request) => {
    const { responses, closedByServer } = await exchange(stack.appUrl, [request(), plainGet('/healthz')])
    expect(responses[0]?.status).toBe(413)
    // Either the next request was answered, or the 413 said the connection ends and it did.
    if (responses.length < 2) {
      expect(responses[0]!.headers.connection).toBe('close')
      expect(closedByServer).toBe(true)
    } else {
      expect(responses[1]!.status).toBe(200)
    }
  })

  it('a body refused before it is read (401) does not stall the connection either', async () => {
    const { responses, closedByServer } = await exchange(stack.appUrl, [chunkedRequest('POST', '/api/host/todos', { 'content-type': 'application/json' }, 300), plainGet('/healthz')])
    expect(responses[0]?.status).toBe(401)
    if (responses.length < 2) expect([responses[0]!.headers.connection, closedByServer]).toEqual(['close', true])
    else expect(responses[1]!.status).toBe(200)
  })

  it('host API: the 413 is in the shared error shape', async () => {
    const { responses } = await exchange(stack.appUrl, [chunkedRequest('POST', '/api/host/todos', host, 300)])
    expect(JSON.parse(responses[0]!.body)).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringMatching(/256 KiB/) } })
  })

  it('a body within the cap keeps the connection open for the next request', async () => {
    const { responses, closedByServer } = await exchange(stack.appUrl, [chunkedRequest('POST', '/api/host/todos', host, 2), plainGet('/healthz')])
    expect(responses.map((r) => r.status)).toEqual([400, 200])
    expect(closedByServer).toBe(false)
  })
})
