import { encryptMessage, newNonce, signMessage } from './crypto'
import type { ContactEvent } from '../directory/contact-events'
import type { CallbackConfig } from '../options'
import type { SandboxState } from '../state'

/** An XML text node; "]]>" inside a value is split across two CDATA sections. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

/** The decrypted change_contact message (https://developer.work.weixin.qq.com/document/path/90970): common header, ChangeType, the fields. */
export function contactEventXml(s: SandboxState, event: ContactEvent): string {
  const fields = event.fields.map(([tag, value]) => `<${tag}>${typeof value === 'number' ? value : cdata(value)}</${tag}>`).join('')
  return (
    `<xml><ToUserName>${cdata(s.corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName>` +
    `<CreateTime>${Math.floor(s.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
    `<Event>${cdata('change_contact')}</Event><ChangeType>${event.changeType}</ChangeType>${fields}</xml>`
  )
}

/** What goes on the wire: the URL with its signature parameters and the body. */
export interface SignedRequest {
  method: 'POST' | 'GET'
  url: string
  body?: string
}

/** Query parameters WeCom adds to the configured URL (values are URL-encoded by URLSearchParams). */
export function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base)
  for (const [k, v] of Object.entries(params)) {
    if (v === '') url.searchParams.delete(k)
    else url.searchParams.set(k, v)
  }
  return url.toString()
}

export function envelope(s: SandboxState, encrypted: string): string {
  return `<xml><ToUserName>${cdata(s.corpId)}</ToUserName><AgentID>${cdata(s.agentId)}</AgentID><Encrypt>${cdata(encrypted)}</Encrypt></xml>`
}

/** POST url?msg_signature&timestamp&nonce with the encrypted envelope (https://developer.work.weixin.qq.com/document/path/90930). */
export function signedPost(s: SandboxState, cfg: CallbackConfig, plaintext: string): SignedRequest {
  const encrypted = encryptMessage(cfg.encodingAesKey, plaintext, s.corpId)
  const timestamp = String(Math.floor(s.now() / 1000))
  const nonce = newNonce()
  const msg_signature = signMessage(cfg.token, timestamp, nonce, encrypted)
  return { method: 'POST', url: withQuery(cfg.url, { msg_signature, timestamp, nonce }), body: envelope(s, encrypted) }
}

/** GET url?msg_signature&timestamp&nonce&echostr: the check WeCom makes when the URL is saved (https://developer.work.weixin.qq.com/document/path/90930). */
export function verificationGet(s: SandboxState, cfg: CallbackConfig, echo: string): SignedRequest {
  const echostr = encryptMessage(cfg.encodingAesKey, echo, s.corpId)
  const timestamp = String(Math.floor(s.now() / 1000))
  const nonce = newNonce()
  const msg_signature = signMessage(cfg.token, timestamp, nonce, echostr)
  return { method: 'GET', url: withQuery(cfg.url, { msg_signature, timestamp, nonce, echostr }) }
}
