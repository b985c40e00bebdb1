import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiFailure } from '../../src/errors'
import { readJsonBody } from '../../src/http/read-body'

/** The reader behind a route, errors as `{ code, fields }` with their status and headers. */
const app = new Hono()
  .post('/required', async (c) => c.json({ body: await readJsonBody(c, { maxBytes: 1024 }) }))
  .post('/optional', async (c) => c.json({ body: (await readJsonBody(c, { optional: true })) ?? 'none' }))
app.onError((e, c) => (e instanceof ApiFailure ? c.json({ code: e.code, fields: e.extra.fields }, e.code === 'payload_too_large' ? 413 : 400) : c.json({ code: 'internal' }, 500)))
const post = (path: string, body: RequestInit['body'], headers: Record<string, string> = {}) => app.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit)

describe('readJsonBody', () => {
  it.each<[string, RequestInit['body'], string]>([
    ['empty', '', 'expected JSON'],
    ['not JSON', '{', 'expected JSON'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'expected UTF-8'],
    ['a NUL in a value', '{"a":"x\\u0000"}', 'NUL or lone surrogate in a string'],
    ['a NUL in a key', '{"a\\u0000":1}', 'NUL or lone surrogate in a string'],
    ['a lone high surrogate', '["\\ud800"]', 'NUL or lone surrogate in a string'],
    ['a lone low surrogate', '{"a":{"b":"\\udc00x"}}', 'NUL or lone surrogate in a string'],
    ['nesting past 32', `${'['.repeat(33)}${']'.repeat(33)}`, 'nested too deeply'],
    ['nesting far past 32 (no stack overflow)', `${'['.repeat(500)}${']'.repeat(500)}`, 'nested too deeply'],
  ])('refuses %s with 400 naming the body', async (_label, body, problem) => {
    const res = await post('/required', body)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ code: 'bad_request', fields: { body: problem } })
  })

  it('refuses more than maxBytes with 413 and Connection: close, declared or streamed', async () => {
    const declared = await post('/required', '{}', { 'content-length': '2000' })
    expect([declared.status, declared.headers.get('connection')]).toEqual([413, 'close'])
    const streamed = await post('/required', new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(512).fill(0x20)) }))
    expect([streamed.status, streamed.headers.get('connection')]).toEqual([413, 'close'])
    expect(await streamed.json()).toMatchObject({ code: 'payload_too_large' })
  })

  it('takes good JSON: surrogate pairs, 32 levels, a BOM; an empty optional body is undefined', async () => {
    expect(await (await post('/required', '{"a":"😀 \\ud83d\\ude00"}')).json()).toEqual({ body: { a: '😀 😀' } })
    expect((await post('/required', `${'['.repeat(32)}${']'.repeat(32)}`)).status).toBe(200)
    expect(await (await post('/required', '\ufeff{"a":1}')).json()).toEqual({ body: { a: 1 } })
    expect(await (await post('/optional', '  ')).json()).toEqual({ body: 'none' })
  })
})

describe('readJsonBody behind Node\'s HTTP server', () => {
  const server = createAdaptorServer({ fetch: app.fetch })
  let base = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const send = (body: RequestInit['body']) => fetch(`${base}/required`, { method: 'POST', body, duplex: 'half' } as RequestInit)

  it('reads a body framed by its Content-Length, and refuses one over the cap, declared or chunked', async () => {
    const ok = await send('{"a":"😀"}')
    expect(await ok.json()).toEqual({ body: { a: '😀' } })
    const declared = await send(`"${'x'.repeat(2000)}"`)
    expect([declared.status, declared.headers.get('connection')]).toEqual([413, 'close'])
    const chunked = await send(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(512).fill(0x20)) }))
    expect([chunked.status, chunked.headers.get('connection')]).toEqual([413, 'close'])
    expect((await send('{')).status).toBe(400)
  })
})
