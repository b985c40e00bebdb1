import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import type { AppEnv } from '../../src/app-env'
import { settingsOf } from '../../src/admin/settings/runtime'
import { callbackRoutes, type CallbackRoutesNeeds, type CallbackRouteOptions } from '../../src/callbacks'
import { loadConfig, type Config } from '../../src/config'
import type { Db } from '../../src/db'
import { createLogger, type Logger } from '../../src/log'
import { createCallbackCrypto, type CallbackCrypto } from '../../src/wecom/callback-crypto'

/**
 * The corp, Token and EncodingAESKey of WeCom's official WXBizMsgCrypt samples:
 * sbzhu/weworkapi_php callback/Sample.php (commit 0855251597a9879090766fae9d475e2ef91f28bd).
 */
export const OFFICIAL = { corpId: 'wx5823bf96d3bd56c7', token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' } as const

export function testConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig(
    {
      WECOM_CORP_ID: OFFICIAL.corpId,
      WECOM_AGENT_ID: '218',
      WECOM_SECRET: 'test-app-secret',
      WECOM_CALLBACK_TOKEN: OFFICIAL.token,
      WECOM_CALLBACK_AES_KEY: OFFICIAL.encodingAesKey,
      SESSION_SECRET: 'callback-test-session-secret-0123456789',
      PUBLIC_URL: 'https://portal.example.com',
      ...env,
    },
    mkdtempSync(join(tmpdir(), 'callbacks-')),
  )
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
  return loaded.config
}

export function recordingLog(): { log: Logger; lines: string[] } {
  const lines: string[] = []
  return { log: createLogger({ level: 'debug', write: (l) => lines.push(l) }), lines }
}

export const ourCrypto = (): CallbackCrypto => createCallbackCrypto({ token: OFFICIAL.token, encodingAesKey: OFFICIAL.encodingAesKey, receiveId: OFFICIAL.corpId })

/** A Hono app with only the callback routes, as the lead mounts them, plus a counting worker. */
export function callbackApp(db: Db, opts: { config?: Config; now?: () => number; routes?: CallbackRouteOptions } = {}) {
  const { log, lines } = recordingLog()
  const deps: CallbackRoutesNeeds = { settings: settingsOf(opts.config ?? testConfig()), db, log, now: opts.now ?? Date.now }
  const worker = { wakes: 0, wake() { this.wakes++ } }
  const app = new Hono<AppEnv>().route('/', callbackRoutes(deps, worker, opts.routes))
  return { app, worker, lines, deps }
}

let nonceCounter = 0

/** What WeCom would POST for `plaintext`: a fresh nonce, signature over the ciphertext, the envelope XML. */
export function sealed(plaintext: string, opts: { crypto?: CallbackCrypto; timestamp?: number; nonce?: string } = {}) {
  const crypto = opts.crypto ?? ourCrypto()
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000))
  const nonce = opts.nonce ?? String(1_000_000 + ++nonceCounter)
  const encrypt = crypto.encrypt(plaintext)
  const signature = ourCrypto().signature(timestamp, nonce, encrypt)
  const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce })
  const body = envelope(encrypt)
  return { path: `/wecom/callback?${query}`, body, encrypt, timestamp, nonce, signature }
}

export function envelope(encrypt: string): string {
  return `<xml><ToUserName><![CDATA[${OFFICIAL.corpId}]]></ToUserName><AgentID><![CDATA[218]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
}

export function postInit(body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body, headers: { 'Content-Type': 'text/xml', ...headers }, ...(typeof body === 'string' ? {} : { duplex: 'half' }) } as RequestInit
}

/** A short change_contact event: ChangeType and UserID only. */
export function contactXml(changeType: string, userid: string, createTime = 1_700_000_000): string {
  return (
    `<xml><ToUserName><![CDATA[${OFFICIAL.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>` +
    `<ChangeType>${changeType}</ChangeType><UserID><![CDATA[${userid}]]></UserID></xml>`
  )
}

/** A change_contact/create_user event as WeCom describes it (https://developer.work.weixin.qq.com/document/path/90970). */
export function createUserXml(userid: string, createTime = 1_700_000_000): string {
  return [
    `<xml><ToUserName><![CDATA[${OFFICIAL.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>`,
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>`,
    `<ChangeType>create_user</ChangeType><UserID><![CDATA[${userid}]]></UserID><Name><![CDATA[张三]]></Name>`,
    '<Department><![CDATA[1,2]]></Department><MainDepartment>1</MainDepartment><IsLeaderInDept><![CDATA[1,0]]></IsLeaderInDept>',
    '<Position><![CDATA[产品经理]]></Position><Status>1</Status>',
    '<ExtAttr><Item><Name><![CDATA[爱好]]></Name><Type>0</Type><Text><Value><![CDATA[旅游]]></Value></Text></Item>',
    '<Item><Name><![CDATA[卡号]]></Name><Type>1</Type><Web><Title><![CDATA[企业微信]]></Title><Url><![CDATA[https://work.weixin.qq.com]]></Url></Web></Item></ExtAttr>',
    '</xml>',
  ].join('')
}

export function textXml(content: string, msgId: number, createTime = 1_700_000_000): string {
  return `<xml><ToUserName><![CDATA[${OFFICIAL.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>218</AgentID></xml>`
}

export async function countEvents(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from callback_events')
  return row!.n
}

/** Every secret a log line must never carry. */
export const SECRETS = [OFFICIAL.token, OFFICIAL.encodingAesKey]
