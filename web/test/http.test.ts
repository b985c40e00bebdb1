import { describe, expect, it } from 'vitest'
import { meSchema } from '@portal/shared'
import { requestJson, requestVoid } from '../src/api/http'
import { fetchMe } from '../src/api/session'
import { jsonResponse, sampleMe } from './fixtures'
import { caught, useApiEnv } from './api-env'

const fetchMock = useApiEnv()

describe('http wrapper: failures', () => {
  it('maps the shared error shape to ApiRequestError', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(403, { error: { code: 'forbidden', message: 'no role', hint: 'ask an admin', requestId: 'r-1' } }),
    )
    const e = await caught(fetchMe())
    expect(e).toMatchObject({ status: 403, code: 'forbidden', message: 'no role', hint: 'ask an admin', requestId: 'r-1' })
  })

  it('maps 401 to unauthenticated', async () => {
    fetchMock.mockResolvedValue(jsonResponse(401, { error: { code: 'unauthenticated', message: 'no session' } }))
    const e = await caught(fetchMe())
    expect(e.status).toBe(401)
    expect(e.code).toBe('unauthenticated')
  })

  it('keeps errcode from a wecom_error', async () => {
    fetchMock.mockResolvedValue(jsonResponse(502, { error: { code: 'wecom_error', message: 'untrusted ip', errcode: 60020 } }))
    const e = await caught(fetchMe())
    expect(e).toMatchObject({ status: 502, code: 'wecom_error', errcode: 60020 })
  })

  it('falls back to the status when the body is not the error shape (proxy HTML page)', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Bad Gateway</html>', { status: 502 }))
    const e = await caught(fetchMe())
    expect(e).toMatchObject({ status: 502, code: 'internal' })

    fetchMock.mockResolvedValue(new Response('', { status: 401 }))
    expect((await caught(fetchMe())).code).toBe('unauthenticated')
  })

  it('turns a failed fetch into a network error with status 0', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    const e = await caught(fetchMe())
    expect(e).toMatchObject({ status: 0, code: 'network' })
  })

  it('rejects a 200 whose body does not match the schema', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { userid: 42 }))
    const e = await caught(requestJson('/api/me', meSchema))
    expect(e.code).toBe('invalid_response')
  })
})

describe('http wrapper: success', () => {
  it('calls same-origin under the runtime base and returns parsed data', async () => {
    window.__PORTAL_BASE__ = '/portal/'
    fetchMock.mockResolvedValue(jsonResponse(200, sampleMe()))
    const me = await fetchMe()
    expect(me.userid).toBe('zhangsan')
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/portal/api/me')
    expect(init?.credentials).toBe('same-origin')
  })

  it('accepts an empty 204', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }))
    await expect(requestVoid('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined()
    expect(fetchMock.mock.calls[0]![1]?.method).toBe('POST')
  })
})
