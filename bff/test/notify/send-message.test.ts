import { describe, expect, it } from 'vitest'
import { createSandbox, SANDBOX_DEFAULTS } from '../../src/sandbox'
import { createTokenCache, createWeComClient, WeComError, WeComTransportError } from '../../src/wecom'
import { MAX_DUPLICATE_CHECK_SECONDS, MESSAGE_SEND_PATH, messageSendBody, sendMessage, type AppMessage } from '../../src/wecom/messages'
import { sandboxFetch, T0 } from './helpers'

const card: AppMessage = { msgtype: 'textcard', textcard: { title: '待办：报销', description: '<div class="normal">请处理</div>', url: 'https://portal.example.com/todos/t1', btntxt: '查看' } }
const input = { agentId: '1000002', touser: ['lisi'], message: card, duplicateCheckSeconds: MAX_DUPLICATE_CHECK_SECONDS }

/** A client stand-in that records bodies and answers (or throws) as told. */
function scripted(answer: (body: unknown) => object) {
  const bodies: string[] = []
  return {
    bodies,
    post: async <T extends object>(path: string, body: unknown): Promise<T> => {
      expect(path).toBe(MESSAGE_SEND_PATH)
      bodies.push(JSON.stringify(body))
      return answer(body) as T
    },
  }
}

describe('sendMessage: refusals and failures', () => {
  it('81013 (nobody valid) is a typed answer naming the recipients, not an exception', async () => {
    const wecom = scripted(() => {
      throw new WeComError({ errcode: 81013, errmsg: 'user & party & tag all invalid', path: MESSAGE_SEND_PATH })
    })
    await expect(sendMessage(wecom, { ...input, touser: ['Ghost'] })).resolves.toEqual({ kind: 'nobody-valid', errmsg: 'user & party & tag all invalid', invaliduser: ['ghost'] })
  })

  it('other errcodes and transport failures are thrown as they are', async () => {
    const busy = new WeComError({ errcode: -1, errmsg: 'system busy', path: MESSAGE_SEND_PATH })
    await expect(sendMessage(scripted(() => { throw busy }), input)).rejects.toBe(busy)
    const down = new WeComTransportError({ path: MESSAGE_SEND_PATH, failure: 'timeout', message: 'timed out' })
    await expect(sendMessage(scripted(() => { throw down }), input)).rejects.toBe(down)
  })

  it('refuses bodies WeCom would refuse: no or too many recipients, a bad interval, a bad agentid', () => {
    expect(() => messageSendBody({ ...input, touser: [] })).toThrow(RangeError)
    expect(() => messageSendBody({ ...input, touser: Array.from({ length: 1001 }, (_, i) => `u${i}`) })).toThrow(RangeError)
    expect(() => messageSendBody({ ...input, touser: ['a|b'] })).toThrow(RangeError)
    expect(() => messageSendBody({ ...input, duplicateCheckSeconds: 0 })).toThrow(RangeError)
    expect(() => messageSendBody({ ...input, duplicateCheckSeconds: MAX_DUPLICATE_CHECK_SECONDS + 1 })).toThrow(RangeError)
    expect(() => messageSendBody({ ...input, agentId: 'abc' })).toThrow(RangeError)
  })
})

describe('sendMessage: the body and the answer', () => {
  it('posts the documented body with the duplicate check on, byte for byte the same however the message was built', async () => {
    const wecom = scripted(() => ({ errcode: 0, errmsg: 'ok', msgid: 'm1', invaliduser: '', unlicenseduser: '' }))
    await sendMessage(wecom, input)
    // The same message with its keys in another order (as jsonb may hand it back).
    const reordered = { textcard: { url: card.textcard.url, btntxt: '查看', title: card.textcard.title, description: card.textcard.description }, msgtype: 'textcard' } as AppMessage
    await sendMessage(wecom, { ...input, message: reordered })
    expect(wecom.bodies[0]).toBe(
      '{"touser":"lisi","msgtype":"textcard","agentid":1000002,"textcard":{"btntxt":"查看","description":"<div class=\\"normal\\">请处理</div>","title":"待办：报销","url":"https://portal.example.com/todos/t1"},"enable_duplicate_check":1,"duplicate_check_interval":14400}',
    )
    expect(wecom.bodies[1]).toBe(wecom.bodies[0])
  })

  it('parses msgid and the "|"-joined invaliduser / unlicenseduser lists', async () => {
    const wecom = scripted(() => ({ errcode: 0, errmsg: 'ok', msgid: 'm2', invaliduser: 'ghost|x', unlicenseduser: 'wujiu', response_code: 'rc-1' }))
    await expect(sendMessage(wecom, { ...input, touser: ['lisi', 'ghost', 'x', 'wujiu'] })).resolves.toEqual({ kind: 'sent', msgid: 'm2', invaliduser: ['ghost', 'x'], unlicenseduser: ['wujiu'], responseCode: 'rc-1' })
    const bare = scripted(() => ({ errcode: 0, errmsg: 'ok' }))
    await expect(sendMessage(bare, input)).resolves.toEqual({ kind: 'sent', msgid: null, invaliduser: [], unlicenseduser: [], responseCode: null })
  })

  it('against the sandbox: a resend of the identical body within the interval is answered with the first msgid and delivered once', async () => {
    const sandbox = createSandbox({ trustedDomain: 'portal.example.com', now: () => T0 })
    const wecom = createWeComClient({ apiBase: 'http://sandbox.test', corpId: SANDBOX_DEFAULTS.corpId, secret: SANDBOX_DEFAULTS.secret, tokens: createTokenCache(), fetch: sandboxFetch(sandbox.app), now: () => T0 })
    const first = await sendMessage(wecom, input)
    const again = await sendMessage(wecom, { ...input, message: { msgtype: 'textcard', textcard: { btntxt: '查看', url: card.textcard.url, description: card.textcard.description, title: card.textcard.title } } })
    expect(first.kind).toBe('sent')
    expect(again).toEqual(first)
    expect(sandbox.state.messages.inbox.get('lisi')).toHaveLength(1)
    expect(sandbox.state.messages.sends.map((s) => s.duplicateOf)).toEqual([undefined, (first as { msgid: string }).msgid])
    // Nobody valid, through the real client: 81013 comes back typed.
    await expect(sendMessage(wecom, { ...input, touser: ['ghost'] })).resolves.toMatchObject({ kind: 'nobody-valid', invaliduser: ['ghost'] })
  })
})
