import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createTokenCache, createWeComClient, redactUrl, WeComTransportError } from '../../src/wecom'
import { caught, CORP_ID, fakeWeCom, recordingLogger, SECRET } from './fake-wecom'

const API = 'https://qyapi.weixin.qq.com'
const USER_GET = '/cgi-bin/user/get'

/** Every way an error ends up in a log: String(), JSON, util.inspect (incl. cause and stack). */
function renderings(e: unknown): string {
  const err = e as Error
  return [String(err), err.message, err.stack, JSON.stringify(err), inspect(err, { depth: 8 })].join('\n')
}


function setup(overallTimeoutMs?: number) {
  const wecom = fakeWeCom()
  const logger = recordingLogger()
  const client = createWeComClient({ apiBase: API, corpId: CORP_ID, secret: SECRET, tokens: createTokenCache(), fetch: wecom.fetch, logger, overallTimeoutMs })
  const leaks = (text: string) => [SECRET, ...wecom.issued].filter((s) => text.includes(s))
  return { wecom, logger, client, leaks }
}

describe('the secret and access tokens never leak', () => {
  it('not in errors whose errmsg, cause or fetch failure echo them, nor in any log line', async () => {
    const { wecom, logger, client, leaks } = setup(50)
    const errors: unknown[] = []

    // gettoken fails with an errmsg that echoes the secret, and the fetch wrapper puts the URL in its message
    wecom.script('/cgi-bin/gettoken', { errcode: 40001, errmsg: `invalid credential ${SECRET}, from ip: 1.2.3.4` })
    errors.push(await caught(client.accessToken()))
    wecom.script('/cgi-bin/gettoken', (req) => new TypeError(`request to ${req.url.href} failed`, { cause: new Error(`GET ${req.url.href}`) }))
    errors.push(await caught(client.accessToken()))

    const token = await client.accessToken()
    // an API errmsg that echoes the token; a stale-token retry (logged); a proxy 502; a timeout; a non-JSON body
    wecom.script(USER_GET, (req) => ({ errcode: 60011, errmsg: `no privilege for ${req.query.access_token}` }))
    errors.push(await caught(client.getUser('zhangsan')))
    wecom.valid.delete(token)
    await client.getUser('zhangsan')
    wecom.script(USER_GET, (req) => new Response(`upstream failed for ${req.url.href}`, { status: 502 }))
    errors.push(await caught(client.getUser('zhangsan')))
    wecom.script(USER_GET, (req) => new Promise((_, reject) => req.init?.signal?.addEventListener('abort', () => reject(req.init?.signal?.reason))))
    errors.push(await caught(client.getUser('zhangsan')))
    wecom.script(USER_GET, (req) => new Response(`<html>${req.url.href}</html>`, { status: 200 }))
    errors.push(await caught(client.getUser('zhangsan')))
    wecom.script(USER_GET, (req) => new Error(`socket hang up ${req.query.access_token}`))
    errors.push(await caught(client.getUser('zhangsan')))

    expect(errors).toHaveLength(7)
    expect(wecom.issued.length).toBe(2)
    for (const e of errors) expect(leaks(renderings(e)), renderings(e)).toEqual([])
    // the scrubbed messages still say what happened
    expect((errors[0] as Error).message).toContain('[redacted]')
    expect(errors[1]).toBeInstanceOf(WeComTransportError)

    expect(logger.lines.some((l) => l.level === 'info' && /token fetched/.test(l.msg))).toBe(true)
    expect(logger.lines.some((l) => l.level === 'warn' && /token rejected/.test(l.msg))).toBe(true)
    expect(logger.lines.some((l) => l.level === 'warn' && /request failed/.test(l.msg))).toBe(true)
    const logged = JSON.stringify(logger.lines)
    expect(leaks(logged)).toEqual([])
    expect(logged).not.toContain('corpsecret=app') // URLs are logged redacted, not omitted
    expect(logged).toContain('access_token=%5Bredacted%5D')
  })
})

describe('redactUrl', () => {
  it('masks access_token and corpsecret and drops proxy credentials', () => {
    expect(redactUrl('https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=S')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=%5Bredacted%5D',
    )
    expect(redactUrl('http://u:p@proxy.example/cgi-bin/user/get?access_token=T&userid=a')).toBe(
      'http://proxy.example/cgi-bin/user/get?access_token=%5Bredacted%5D&userid=a',
    )
    expect(redactUrl('not a url ?access_token=T&corpsecret=S')).toBe('not a url ?access_token=[redacted]&corpsecret=[redacted]')
  })
})
