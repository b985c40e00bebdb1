import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { nextPending } from '../../src/callbacks/inbox'
import type { Db } from '../../src/db'
import { parseMessage } from '../../src/wecom/callback-xml'
import { createCallbackCrypto } from '../../src/wecom/callback-crypto'
import { describeEachDb } from '../helpers/test-db'
import { callbackApp, countEvents, createUserXml, envelope, OFFICIAL, ourCrypto, postInit, sealed, SECRETS, testConfig, textXml } from './helpers'

// The official PHP sample (sbzhu/weworkapi_php callback/Sample.php @ 0855251597a9879090766fae9d475e2ef91f28bd),
// query exactly as its comment shows WeCom sending it: URL-encoded echostr.
const OFFICIAL_GET =
  '/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D'
const OFFICIAL_POST_QUERY = '/wecom/callback?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149'
const OFFICIAL_POST_BODY =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>'

const NOW = 1_700_000_000_000
const TS = NOW / 1000

describeEachDb('WeCom callback routes', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db.close()
  })
  beforeEach(async () => {
    await db.query('delete from callback_events')
  })

  /** Asserts the answer, that nothing was stored, that the reason was logged, and that no secret was. */
  async function expectRefused(res: Response, status: number, reason: RegExp, lines: string[]) {
    expect(res.status).toBe(status)
    expect(await countEvents(db)).toBe(0)
    const rejected = lines.map((l) => JSON.parse(l) as { msg: string; reason?: string }).filter((l) => l.msg === 'wecom callback rejected')
    expect(rejected.map((l) => l.reason).join(' | ')).toMatch(reason)
    for (const s of SECRETS) expect(lines.join('\n')).not.toContain(s)
  }

  // ---- failure paths first -------------------------------------------------------------------

  it('503 for GET and POST when the callback Token or EncodingAESKey is not configured', async () => {
    const { app, lines } = callbackApp(db, { config: testConfig({ WECOM_CALLBACK_TOKEN: '', WECOM_CALLBACK_AES_KEY: '' }), now: () => NOW })
    await expectRefused(await app.request(OFFICIAL_GET), 503, /not configured/, lines)
    const s = sealed(textXml('hi', 1), { timestamp: TS })
    await expectRefused(await app.request(s.path, postInit(s.body)), 503, /not configured/, lines)
  })

  it('URL verification: 403 for a bad signature, 400 for missing parameters or an undecryptable echostr', async () => {
    const { app, lines } = callbackApp(db)
    await expectRefused(await app.request(OFFICIAL_GET.replace('5c45ff5e', '5c45ff5f')), 403, /bad signature/, lines)
    await expectRefused(await app.request(OFFICIAL_GET.replace(/&echostr=.*/, '')), 400, /echostr/, lines)
    await expectRefused(await app.request('/wecom/callback'), 400, /msg_signature/, lines)
    const c = ourCrypto()
    const junk = 'AAAA'
    await expectRefused(await app.request(`/wecom/callback?msg_signature=${c.signature('1', '2', junk)}&timestamp=1&nonce=2&echostr=${junk}`), 400, /undecryptable/, lines)
  })

  it('URL verification: 403 for an echostr sealed for another corp, even when signed with our token', async () => {
    const { app, lines } = callbackApp(db)
    const other = createCallbackCrypto({ token: OFFICIAL.token, encodingAesKey: OFFICIAL.encodingAesKey, receiveId: 'ww_other_corp' })
    const echostr = other.encrypt('123456')
    const q = new URLSearchParams({ msg_signature: other.signature('1409659589', '1', echostr), timestamp: '1409659589', nonce: '1', echostr })
    await expectRefused(await app.request(`/wecom/callback?${q}`), 403, /receiveid/, lines)
  })

  it('POST: 400 for missing or malformed query parameters', async () => {
    const { app, lines } = callbackApp(db, { now: () => NOW })
    const s = sealed(textXml('hi', 1), { timestamp: TS })
    await expectRefused(await app.request('/wecom/callback', postInit(s.body)), 400, /msg_signature/, lines)
    await expectRefused(await app.request(s.path.replace(/timestamp=\d+/, 'timestamp=soon'), postInit(s.body)), 400, /timestamp/, lines)
    await expectRefused(await app.request(s.path.replace(/&nonce=\d+/, ''), postInit(s.body)), 400, /nonce/, lines)
  })

  it('POST: 400 for a timestamp more than 5 minutes from our clock, either way (a replay)', async () => {
    const { app, lines } = callbackApp(db, { now: () => NOW })
    const old = sealed(textXml('hi', 1), { timestamp: TS - 301 })
    await expectRefused(await app.request(old.path, postInit(old.body)), 400, /stale/, lines)
    const future = sealed(textXml('hi', 2), { timestamp: TS + 301 })
    await expectRefused(await app.request(future.path, postInit(future.body)), 400, /stale/, lines)
    // the official sample is from 2014
    await expectRefused(await app.request(OFFICIAL_POST_QUERY, postInit(OFFICIAL_POST_BODY)), 400, /stale/, lines)
  })

  it('POST: 403 for a bad signature, a signature over another ciphertext, or a message sealed for another corp', async () => {
    const { app, lines } = callbackApp(db, { now: () => NOW })
    const s = sealed(textXml('hi', 1), { timestamp: TS })
    await expectRefused(await app.request(s.path.replace(s.signature, '0'.repeat(40)), postInit(s.body)), 403, /bad signature/, lines)
    const swapped = sealed(textXml('other', 2), { timestamp: TS, nonce: s.nonce })
    await expectRefused(await app.request(s.path, postInit(swapped.body)), 403, /bad signature/, lines)
    const other = createCallbackCrypto({ token: OFFICIAL.token, encodingAesKey: OFFICIAL.encodingAesKey, receiveId: 'ww_other_corp' })
    const foreign = sealed(textXml('hi', 3), { timestamp: TS, crypto: other })
    await expectRefused(await app.request(foreign.path, postInit(foreign.body)), 403, /receiveid/, lines)
  })

  it('POST: 413 when Content-Length or the streamed body exceeds the cap, before reading it all', async () => {
    const { app, lines } = callbackApp(db, { now: () => NOW, routes: { maxBodyBytes: 4096 } })
    const s = sealed(textXml('hi', 1), { timestamp: TS })
    await expectRefused(await app.request(s.path, postInit(s.body, { 'Content-Length': '5000' })), 413, /too large/, lines)

    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulled++
        ctrl.enqueue(new Uint8Array(1024).fill(0x41))
      },
    })
    await expectRefused(await app.request(s.path, postInit(endless)), 413, /too large/, lines)
    expect(pulled).toBeLessThan(10)
  })

  it('POST: 413 for a decrypted message over the plaintext cap', async () => {
    const { app, lines } = callbackApp(db, { now: () => NOW, routes: { maxXmlBytes: 1024 } })
    const s = sealed(textXml('x'.repeat(2000), 1), { timestamp: TS })
    await expectRefused(await app.request(s.path, postInit(s.body)), 413, /message XML \(too_large\)/, lines)
  })

  it('POST: 400 for malformed envelopes and messages, DOCTYPE/ENTITY tricks and undecryptable Encrypt', async () => {
    const { app, lines } = callbackApp(db, { now: () => NOW })
    const c = ourCrypto()
    const post = (body: string, encrypt: string) => {
      const q = new URLSearchParams({ msg_signature: c.signature(String(TS), '42', encrypt), timestamp: String(TS), nonce: '42' })
      return app.request(`/wecom/callback?${q}`, postInit(body))
    }
    const good = sealed(textXml('hi', 1), { timestamp: TS })

    // envelope-level
    await expectRefused(await app.request(good.path, postInit('not xml')), 400, /envelope XML \(malformed\)/, lines)
    await expectRefused(await app.request(good.path, postInit('')), 400, /envelope XML/, lines)
    await expectRefused(await app.request(good.path, postInit('<xml><ToUserName>x</ToUserName></xml>')), 400, /missing_field/, lines)
    const dtdEnvelope = `<!DOCTYPE xml [<!ENTITY e "${good.encrypt}">]><xml><Encrypt>&e;</Encrypt></xml>`
    await expectRefused(await app.request(good.path, postInit(dtdEnvelope)), 400, /envelope XML \(dtd\)/, lines)

    // signed and sealed properly, but the inside is hostile or broken
    const inside = async (plaintext: string, reason: RegExp) => {
      const encrypt = c.encrypt(plaintext)
      await expectRefused(await post(envelope(encrypt), encrypt), 400, reason, lines)
    }
    await inside('<!DOCTYPE xml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>', /message XML \(dtd\)/)
    await inside(textXml('hi', 1).replace('<Content>', '<Content>&xxe;'), /message XML \(malformed\)/)
    await inside('<xml><ToUserName>x</ToUserName>', /message XML \(malformed\)/)
    await inside(textXml('hi', 1).replace(/<MsgType>.*?<\/MsgType>/, ''), /missing_field/)
    await inside('1616140317555161061', /message XML \(malformed\)/)

    // a signature over junk that is not a ciphertext
    await expectRefused(await post(envelope('bm90IGEgY2lwaGVydGV4dA=='), 'bm90IGEgY2lwaGVydGV4dA=='), 400, /undecryptable \(bad_ciphertext\)/, lines)
  })

  // ---- success paths ---------------------------------------------------------------------------

  it('URL verification with the official sample: replies the plaintext exactly, as text/plain', async () => {
    const { app, lines } = callbackApp(db)
    const res = await app.request(OFFICIAL_GET)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(Buffer.from(bytes).toString('utf8')).toBe('1616140317555161061')
    expect(bytes.length).toBe(19) // no BOM, quotes or newline
    // a proxy that passed '+' through undecoded (it arrives as a space) still verifies
    const raw = await app.request(OFFICIAL_GET.replace(/%2B/g, '+').replace(/%2F/g, '/'))
    expect(await raw.text()).toBe('1616140317555161061')
    expect(await countEvents(db)).toBe(0)
    for (const s of SECRETS) expect(lines.join('\n')).not.toContain(s)
  })

  it('POST with the official sample, at its own time: 200 with an empty body, queued once', async () => {
    const { app, worker } = callbackApp(db, { now: () => 1409659813_000 })
    const res = await app.request(OFFICIAL_POST_QUERY, postInit(OFFICIAL_POST_BODY))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
    const rows = await db.query<{ msg_type: string; event: string | null; plaintext: string; applied_at: Date | null }>('select msg_type, event, plaintext, applied_at from callback_events')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ msg_type: 'text', event: null, applied_at: null })
    // Stored as decrypted, and read back by the worker as the message it was.
    const [pending] = await nextPending(db, { maxAttempts: 5, limit: 1, now: new Date(), lock: false })
    expect(pending!.msg.fields).toMatchObject({ Content: 'hello', MsgId: '4561255354251345929', FromUserName: 'mycreate' })
    expect(parseMessage(rows[0]!.plaintext)).toEqual(pending!.msg)
    expect(worker.wakes).toBe(1)
  })

  it("POST: WeCom's retries (same plaintext, new ciphertext and nonce) get 200 and are not queued again", async () => {
    const { app, worker, lines } = callbackApp(db, { now: () => NOW })
    const xml = textXml('hello', 1)
    for (let i = 0; i < 3; i++) {
      const s = sealed(xml, { timestamp: TS + i })
      const res = await app.request(s.path, postInit(s.body))
      expect(res.status).toBe(200)
      expect(await res.text()).toBe('')
    }
    const rows = await db.query<{ msg_type: string; attempts: number }>('select msg_type, attempts from callback_events')
    expect(rows).toEqual([{ msg_type: 'text', attempts: 0 }])
    expect(worker.wakes).toBe(1)
    expect(lines.filter((l) => l.includes('already queued'))).toHaveLength(2)
    // a different event is a new row
    const s = sealed(createUserXml('wangwu'), { timestamp: TS })
    expect((await app.request(s.path, postInit(s.body))).status).toBe(200)
    expect(await countEvents(db)).toBe(2)
    for (const secret of SECRETS) expect(lines.join('\n')).not.toContain(secret)
  })

  it('POST: a repeat of a member or department change is queued as a re-read, after what came before it, never applied twice as sent', async () => {
    // The same plaintext again may be WeCom's retry or the same edit made again within a second
    // (A, B, A): it cannot be told apart, so it queues a read of the member from WeCom.
    const { app, worker } = callbackApp(db, { now: () => NOW })
    const a = createUserXml('lisi')
    const b = createUserXml('wangwu')
    for (const xml of [a, b, a, a]) {
      const s = sealed(xml, { timestamp: TS })
      expect((await app.request(s.path, postInit(s.body))).status).toBe(200)
    }
    const rows = await db.query<{ change_type: string; subject: string; plaintext: string }>('select change_type, subject, plaintext from callback_events order by received_at')
    expect(rows.map((r) => [r.subject, r.plaintext.includes('<PortalReread>1</PortalReread>')])).toEqual([
      ['user:lisi', false],
      ['user:wangwu', false],
      ['user:lisi', true],
      ['user:lisi', true],
    ])
    expect(worker.wakes).toBe(4)
    const pending = await nextPending(db, { maxAttempts: 5, limit: 10, now: new Date(NOW), lock: false })
    expect(pending.map((e) => e.msg.fields.PortalReread ?? null)).toEqual([null, null, '1', '1'])

    // The same inside one group of inserts (requests that arrive together share one).
    await db.query('delete from callback_events')
    const c = createUserXml('zhaoliu', 1_700_000_001)
    const d = createUserXml('sunqi', 1_700_000_001)
    const answers = await Promise.all([c, d, c].map((xml) => sealed(xml, { timestamp: TS })).map((s) => app.request(s.path, postInit(s.body))))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    const together = await db.query<{ subject: string; plaintext: string }>('select subject, plaintext from callback_events order by received_at')
    expect(together.map((r) => [r.subject, r.plaintext.includes('<PortalReread>1</PortalReread>')])).toEqual([
      ['user:zhaoliu', false],
      ['user:sunqi', false],
      ['user:zhaoliu', true],
    ])
  })
})
