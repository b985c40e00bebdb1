import { describe, expect, it } from 'vitest'
import { createCallbackDispatcher, describeCallback, type CallbackMessage } from '../../src/callbacks'
import { BodyTooLargeError, readCappedText } from '../../src/http/read-body'

function msg(msgType: string, event?: string, changeType?: string): CallbackMessage {
  return { toUserName: 'corp', fromUserName: 'sys', createTime: 1, msgType, ...(event ? { event } : {}), ...(changeType ? { changeType } : {}), fields: {} }
}

describe('callback dispatcher', () => {
  it('stops at the first failing handler and passes the error on (the worker retries the event)', async () => {
    const d = createCallbackDispatcher()
    const ran: string[] = []
    d.on({ event: 'change_contact' }, async () => {
      ran.push('first')
      throw new Error('db down')
    })
    d.on({ event: 'change_contact' }, async () => void ran.push('second'))
    await expect(d.dispatch(msg('event', 'change_contact', 'update_user'))).rejects.toThrow('db down')
    expect(ran).toEqual(['first'])
  })

  it('matches on every key given, case-insensitively, and ignores keys left out', async () => {
    const d = createCallbackDispatcher()
    const ran: string[] = []
    d.on({ msgType: 'event', event: 'change_contact', changeType: 'create_user' }, async () => void ran.push('create_user'))
    d.on({ event: 'change_contact' }, async () => void ran.push('any contact'))
    d.on({ event: 'sys_approval_change' }, async () => void ran.push('approval'))
    d.on({ event: 'location' }, async () => void ran.push('location'))
    d.on({ msgType: 'text' }, async () => void ran.push('text'))

    expect(await d.dispatch(msg('event', 'change_contact', 'create_user'))).toBe(2)
    expect(ran).toEqual(['create_user', 'any contact'])
    ran.length = 0
    expect(await d.dispatch(msg('event', 'change_contact', 'delete_user'))).toBe(1)
    expect(await d.dispatch(msg('event', 'LOCATION'))).toBe(1)
    expect(await d.dispatch(msg('text'))).toBe(1)
    expect(await d.dispatch(msg('event', 'enter_agent'))).toBe(0)
    expect(ran).toEqual(['any contact', 'location', 'text'])
  })

  it('on() returns a function that removes the handler', async () => {
    const d = createCallbackDispatcher()
    let n = 0
    const off = d.on({}, async () => void n++)
    await d.dispatch(msg('text'))
    off()
    off()
    expect(await d.dispatch(msg('text'))).toBe(0)
    expect(n).toBe(1)
  })

  it('describes a callback by its type path', () => {
    expect(describeCallback(msg('event', 'change_contact', 'create_user'))).toBe('event/change_contact/create_user')
    expect(describeCallback(msg('text'))).toBe('text')
  })
})

describe('capped body reader', () => {
  const stream = (chunks: number, size: number) => {
    let sent = 0
    return new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent++ >= chunks) ctrl.close()
        else ctrl.enqueue(new Uint8Array(size).fill(0x61))
      },
    })
  }
  const req = (body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) =>
    new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit)

  it('refuses a declared Content-Length over the cap without reading, and a longer stream as it crosses the cap', async () => {
    await expect(readCappedText(req('abc', { 'content-length': '101' }), 100)).rejects.toBeInstanceOf(BodyTooLargeError)
    await expect(readCappedText(req(stream(5, 30)), 100)).rejects.toBeInstanceOf(BodyTooLargeError)
  })

  it('reads a body at or under the cap, including multi-byte text split across chunks', async () => {
    expect(await readCappedText(req(stream(2, 50)), 100)).toBe('a'.repeat(100))
    const bytes = new TextEncoder().encode('你好')
    const split = new ReadableStream<Uint8Array>({
      start(ctrl) {
        ctrl.enqueue(bytes.subarray(0, 2))
        ctrl.enqueue(bytes.subarray(2))
        ctrl.close()
      },
    })
    expect(await readCappedText(req(split), 100)).toBe('你好')
    expect(await readCappedText(new Request('http://x/'), 100)).toBe('')
  })
})
