import { afterEach, describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS, type CallbackDelivery } from '../../../src/sandbox/index'
import { AES_KEY, CB_TOKEN, correctApp, decryptMessage, startReceiver, xmlField, type Responder } from './helpers'
import { adminJson } from '../directory/helpers'
import { setup, type Json } from '../helpers'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()!()
})

async function withReceiver(respond: Responder, opts: Parameters<typeof setup>[0] = {}) {
  const receiver = await startReceiver(respond)
  closers.push(receiver.close)
  const t = setup({ callback: { url: receiver.url, token: CB_TOKEN, encodingAesKey: AES_KEY }, callbackRetryDelaysMs: [0, 0], ...opts })
  return { t, receiver }
}

const change = (t: ReturnType<typeof setup>) => adminJson(t, 'PATCH', '/sandbox/admin/org/users/lisi', { position: '组长' })
const settle = async (t: ReturnType<typeof setup>) => (await t.send('POST', '/sandbox/admin/callbacks/settle')).json() as Promise<{ deliveries: CallbackDelivery[] }>

describe('sandbox callback delivery and retries', () => {
  it('tries 3 times in all when the app answers 500, resending the same request', async () => {
    const { t, receiver } = await withReceiver(() => ({ status: 500, body: 'oops' }))
    const res = await change(t)
    // The admin call reports the first attempt; retries follow in the background.
    expect(res.body.callback).toMatchObject({ status: 'pending', attempts: [{ n: 1, httpStatus: 500, body: 'oops' }] })
    const { deliveries } = await settle(t)
    expect(deliveries[0]).toMatchObject({ status: 'failed', attempts: [{ n: 1, httpStatus: 500 }, { n: 2, httpStatus: 500 }, { n: 3, httpStatus: 500 }] })
    expect(receiver.received).toHaveLength(3)
    expect(new Set(receiver.received.map((r) => r.url.search + r.body)).size).toBe(1)
  })

  it('stops retrying once the app answers 200', async () => {
    const { t, receiver } = await withReceiver((_req, n) => ({ status: n === 1 ? 503 : 200 }))
    await change(t)
    const { deliveries } = await settle(t)
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: [{ httpStatus: 503 }, { httpStatus: 200 }] })
    expect(receiver.received).toHaveLength(2)
  })

  it('counts no answer within the timeout as a failure, 3 attempts in all', async () => {
    const { t, receiver } = await withReceiver(() => ({ status: 200, delayMs: 400 }), { callbackTimeoutMs: 100 })
    const res = await change(t)
    expect(res.body.callback).toMatchObject({ attempts: [{ httpStatus: null, error: 'timeout' }] })
    const { deliveries } = await settle(t)
    expect(deliveries[0]!.status).toBe('failed')
    expect(deliveries[0]!.attempts.map((a) => a.error)).toEqual(['timeout', 'timeout', 'timeout'])
    expect(receiver.received).toHaveLength(3)
  })

  it('records a refused connection', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }))
    await receiver.close()
    const t = setup({ callback: { url: receiver.url, token: CB_TOKEN, encodingAesKey: AES_KEY }, callbackRetryDelaysMs: [0, 0] })
    const res = await change(t)
    expect(res.body.callback).toMatchObject({ attempts: [{ httpStatus: null, error: expect.stringMatching(/ECONNREFUSED|refused/i) }] })
    expect((await settle(t)).deliveries[0]!.status).toBe('failed')
  })

  it('waits callbackRetryDelaysMs between attempts, and reset cancels pending retries', async () => {
    const { t, receiver } = await withReceiver(() => ({ status: 500 }), { callbackRetryDelaysMs: [150, 150] })
    await change(t)
    await new Promise((r) => setTimeout(r, 60))
    expect(receiver.received).toHaveLength(1)
    await t.send('POST', '/sandbox/admin/reset')
    await new Promise((r) => setTimeout(r, 400))
    expect(receiver.received).toHaveLength(1)
    expect(await settle(t)).toMatchObject({ deliveries: [] })
  })

  it('lets tests wait through the Sandbox object too', async () => {
    const { t, receiver } = await withReceiver(() => ({ status: 500 }), { callbackRetryDelaysMs: [20, 20] })
    await change(t)
    await t.sandbox.callbacksSettled()
    expect(receiver.received).toHaveLength(3)
  })
})

describe('sandbox callback URL verification', () => {
  const verify = async (t: ReturnType<typeof setup>, body: object = {}) => {
    const res = await t.send('POST', '/sandbox/admin/callbacks/verify-url', body)
    return { status: res.status, body: (await res.json()) as Json & { result: Json } }
  }

  it('answers 400 when no callback is configured or given', async () => {
    const t = setup()
    expect((await verify(t)).status).toBe(400)
    expect((await verify(t, { url: 'http://127.0.0.1:1/cb' })).status).toBe(400)
  })

  it('fails for an app that answers with extra bytes, a wrong signature check, or too slowly', async () => {
    const echoWith = (extra: string): Responder => (req) => ({ status: 200, body: decryptMessage(AES_KEY, req.url.searchParams.get('echostr')!).msg + extra })
    for (const respond of [echoWith('\n'), echoWith(' '), (() => ({ status: 200, body: '"1"' })) as Responder]) {
      const { t } = await withReceiver(respond)
      expect((await verify(t)).body.result.ok).toBe(false)
    }
    const { t } = await withReceiver(correctApp(SANDBOX_DEFAULTS.corpId))
    const wrongToken = await verify(t, { token: 'SomeOtherToken' })
    expect(wrongToken.body.result).toMatchObject({ ok: false, httpStatus: 403 })
    const slow = await withReceiver((req) => ({ ...correctApp(SANDBOX_DEFAULTS.corpId)(req, 1), delayMs: 1500 }))
    expect((await verify(slow.t)).body.result).toMatchObject({ ok: false, error: 'timeout' })
  })

  it('sends GET ?msg_signature&timestamp&nonce&echostr and passes when the body is the plaintext', async () => {
    const { t, receiver } = await withReceiver(correctApp(SANDBOX_DEFAULTS.corpId))
    const { body } = await verify(t)
    expect(body.result).toMatchObject({ ok: true, httpStatus: 200, expected: expect.stringMatching(/^\d+$/) })
    expect(body.result.body).toBe(body.result.expected)
    const req = receiver.received[0]!
    expect(req.method).toBe('GET')
    expect([...req.url.searchParams.keys()].sort()).toEqual(['echostr', 'msg_signature', 'nonce', 'timestamp'])
    expect(decryptMessage(AES_KEY, req.url.searchParams.get('echostr')!).receiveId).toBe(SANDBOX_DEFAULTS.corpId)
  })
})

describe('sandbox raw callback requests', () => {
  const raw = async (t: ReturnType<typeof setup>, body: object) => {
    const res = await t.send('POST', '/sandbox/admin/callbacks/raw', body)
    return { status: res.status, body: (await res.json()) as Json & { delivery: CallbackDelivery } }
  }

  it('answers 400 without a configured callback or without anything to send', async () => {
    expect((await raw(setup(), { plaintext: '<xml/>' })).status).toBe(400)
    const { t } = await withReceiver(correctApp(SANDBOX_DEFAULTS.corpId))
    expect((await raw(t, {})).status).toBe(400)
    expect((await raw(t, { plaintext: '<xml/>', extra: 1 })).status).toBe(400)
  })

  it('sends a bad signature, a foreign receiveid and a malformed body as asked, once each', async () => {
    const { t, receiver } = await withReceiver(correctApp(SANDBOX_DEFAULTS.corpId))
    expect((await raw(t, { plaintext: '<xml><MsgType>event</MsgType></xml>', msg_signature: '0'.repeat(40) })).body.delivery).toMatchObject({ kind: 'raw', status: 'failed', attempts: [{ httpStatus: 403, body: 'bad signature' }] })
    expect((await raw(t, { plaintext: '<xml/>', receiveId: 'wwSomeoneElse' })).body.delivery.attempts[0]).toMatchObject({ httpStatus: 403, body: 'bad receiveid' })
    expect((await raw(t, { encrypt: 'not-base64-ciphertext' })).body.delivery.attempts[0]!.httpStatus).toBe(400)
    await raw(t, { body: '<xml><Encrypt>unterminated' })
    expect(receiver.received[3]!.body).toBe('<xml><Encrypt>unterminated')
    expect(receiver.received).toHaveLength(4)
  })

  it('sends a well-formed request when nothing is spoiled, and a GET with echostr when asked', async () => {
    const { t, receiver } = await withReceiver(correctApp(SANDBOX_DEFAULTS.corpId))
    expect((await raw(t, { plaintext: '<xml><Event>change_contact</Event></xml>' })).body.delivery).toMatchObject({ status: 'delivered', attempts: [{ httpStatus: 200 }] })
    expect(decryptMessage(AES_KEY, xmlField(receiver.received[0]!.body, 'Encrypt')!).msg).toBe('<xml><Event>change_contact</Event></xml>')
    const get = await raw(t, { method: 'GET', plaintext: '12345', query: { nonce: '', extra: 'x' } })
    expect(get.body.delivery.attempts[0]).toMatchObject({ httpStatus: 403 })
    const sent = receiver.received[1]!
    expect(sent.method).toBe('GET')
    expect(sent.url.searchParams.has('nonce')).toBe(false)
    expect(sent.url.searchParams.get('extra')).toBe('x')
    expect(decryptMessage(AES_KEY, sent.url.searchParams.get('echostr')!).msg).toBe('12345')
  })
})
