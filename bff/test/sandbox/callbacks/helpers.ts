import { createDecipheriv, createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The receiving side of WeCom's callback crypto, written from WeCom's own description (https://developer.work.weixin.qq.com/document/path/90968) independently of
 * the sandbox's sender, so the tests check the sandbox against the spec rather than itself.
 */

export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
export const CB_TOKEN = 'SbxCallbackToken1'

export function sha1Signature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex')
}

export interface Decrypted {
  msg: string
  receiveId: string
  /** Bytes of PKCS#7 padding found (1..32). */
  pad: number
  /** Length of the decrypted block, padding included. */
  blockLength: number
}

export function decryptMessage(encodingAesKey: string, encrypted: string): Decrypted {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  decipher.setAutoPadding(false)
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()])
  const pad = plain[plain.length - 1]!
  if (pad < 1 || pad > 32) throw new Error(`bad padding ${pad}`)
  const content = plain.subarray(16, plain.length - pad)
  const length = content.readUInt32BE(0)
  return { msg: content.subarray(4, 4 + length).toString('utf8'), receiveId: content.subarray(4 + length).toString('utf8'), pad, blockLength: plain.length }
}

/** <Tag>value</Tag> or <Tag><![CDATA[value]]></Tag>; undefined when absent. */
export function xmlField(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${tag}>`).exec(xml)
  return m ? (m[1] ?? m[2]) : undefined
}

/** Element names of the top level of <xml>…</xml>, in order. */
export function xmlTags(xml: string): string[] {
  return [...xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]!).filter((t) => t !== 'xml')
}

export interface Received {
  method: string
  url: URL
  body: string
  contentType: string | undefined
}

export type Responder = (req: Received, n: number) => { status: number; body?: string; delayMs?: number }

/** What a correct app does: check signature and receiveid, answer 200 (POST) or the echo (GET). */
export function correctApp(corpId: string, token = CB_TOKEN, key = AES_KEY): Responder {
  return (req) => {
    const q = req.url.searchParams
    const encrypted = req.method === 'GET' ? (q.get('echostr') ?? '') : (xmlField(req.body, 'Encrypt') ?? '')
    if (sha1Signature(token, q.get('timestamp') ?? '', q.get('nonce') ?? '', encrypted) !== q.get('msg_signature')) return { status: 403, body: 'bad signature' }
    let d: Decrypted
    try {
      d = decryptMessage(key, encrypted)
    } catch {
      return { status: 400, body: 'bad ciphertext' }
    }
    if (d.receiveId !== corpId) return { status: 403, body: 'bad receiveid' }
    return { status: 200, body: req.method === 'GET' ? d.msg : '' }
  }
}

/** A local HTTP server standing in for the portal's callback endpoint. */
export async function startReceiver(respond: Responder) {
  const received: Received[] = []
  let responder = respond
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://127.0.0.1'), body: Buffer.concat(chunks).toString('utf8'), contentType: req.headers['content-type'] }
      received.push(r)
      const answer = responder(r, received.length)
      const send = () => {
        if (res.destroyed) return
        res.writeHead(answer.status, { 'content-type': 'text/plain' })
        res.end(answer.body ?? '')
      }
      if (answer.delayMs) setTimeout(send, answer.delayMs)
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`
  return {
    url,
    received,
    setResponder(r: Responder) {
      responder = r
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The decrypted event of a received POST, after checking envelope and signature. */
export function openEvent(r: Received, token = CB_TOKEN, key = AES_KEY) {
  const encrypted = xmlField(r.body, 'Encrypt') ?? ''
  const q = r.url.searchParams
  const signatureOk = sha1Signature(token, q.get('timestamp') ?? '', q.get('nonce') ?? '', encrypted) === q.get('msg_signature')
  return {
    signatureOk,
    envelope: { toUserName: xmlField(r.body, 'ToUserName'), agentId: xmlField(r.body, 'AgentID'), tags: xmlTags(r.body) },
    ...decryptMessage(key, encrypted),
  }
}
