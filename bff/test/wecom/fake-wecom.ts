/**
 * A fake `fetch` that answers like WeCom (https://developer.work.weixin.qq.com/document/path/91039, https://developer.work.weixin.qq.com/document/path/91023, https://developer.work.weixin.qq.com/document/path/90196): gettoken checks
 * corpid/secret, APIs check the token, and tests can script or delay answers per path.
 */
export const CORP_ID = 'ww0123456789abcdef'
export const SECRET = 'app-secret-Zx81kQ7vT2mN4pL0wR9sY6uB3cD5eF1gH'

export interface Recorded {
  method: string
  url: URL
  path: string
  query: Record<string, string>
  body?: unknown
  init?: RequestInit & { dispatcher?: unknown }
}

type Answer = Response | object | Error
type Handler = (req: Recorded) => Answer | Promise<Answer>

export interface FakeWeCom {
  fetch: typeof fetch
  calls: Recorded[]
  /** Calls to `path` (gettoken included). */
  count(path: string): number
  /** Every access_token handed out, in order. */
  issued: string[]
  /** Tokens WeCom currently accepts; delete one to make it "expired". */
  valid: Set<string>
  /** Answer the next calls to `path` with these, in order, before the default behaviour. */
  script(path: string, ...answers: (Answer | Handler)[]): void
  /** Hold every gettoken until `release()` (for concurrency tests). */
  holdTokens(): { release(): void }
  expiresIn: number
  secrets: Map<string, string>
}

export function json(body: object, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

export function fakeWeCom(opts: { secrets?: Record<string, string> } = {}): FakeWeCom {
  const calls: Recorded[] = []
  const issued: string[] = []
  const valid = new Set<string>()
  const scripts = new Map<string, (Answer | Handler)[]>()
  const secrets = new Map(Object.entries(opts.secrets ?? { [CORP_ID]: SECRET }))
  let hold: Promise<void> | undefined
  let n = 0

  const fake: FakeWeCom = {
    calls,
    issued,
    valid,
    secrets,
    expiresIn: 7200,
    count: (path) => calls.filter((c) => c.path === path).length,
    script(path, ...answers) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers])
    },
    holdTokens() {
      let release!: () => void
      hold = new Promise((r) => (release = r))
      return {
        release: () => {
          hold = undefined
          release()
        },
      }
    },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input))
      const base = url.pathname.indexOf('/cgi-bin/')
      const req: Recorded = {
        method: init?.method ?? 'GET',
        url,
        path: base >= 0 ? url.pathname.slice(base) : url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
        init,
      }
      calls.push(req)
      if (req.path === '/cgi-bin/gettoken' && hold) await hold
      const queued = scripts.get(req.path)?.shift()
      const answer = queued === undefined ? defaultAnswer(req) : typeof queued === 'function' ? await queued(req) : queued
      if (answer instanceof Error) throw answer
      return answer instanceof Response ? answer : json(answer)
    }) as typeof fetch,
  }

  function defaultAnswer(req: Recorded): object {
    if (req.path === '/cgi-bin/gettoken') {
      const expected = secrets.get(req.query.corpid ?? '')
      if (expected === undefined) return { errcode: 40013, errmsg: 'invalid corpid, hint: [1700000000_1], from ip: 203.0.113.9' }
      if (expected !== req.query.corpsecret) return { errcode: 40001, errmsg: 'invalid credential, hint: [1700000000_2], from ip: 203.0.113.9' }
      const token = `tok${++n}-${'x'.repeat(40)}-${Math.random().toString(36).slice(2)}`
      issued.push(token)
      valid.add(token)
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: fake.expiresIn }
    }
    const token = req.query.access_token
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' }
    if (!valid.has(token)) {
      return issued.includes(token) ? { errcode: 42001, errmsg: 'access_token expired' } : { errcode: 40014, errmsg: 'invalid access_token' }
    }
    switch (req.path) {
      case '/cgi-bin/auth/getuserinfo':
        if (req.query.code === 'member-code') return { errcode: 0, errmsg: 'ok', userid: 'zhangsan', user_ticket: 'TICKET' }
        if (req.query.code === 'base-code') return { errcode: 0, errmsg: 'ok', userid: 'lisi' }
        if (req.query.code === 'guest-code') return { errcode: 0, errmsg: 'ok', openid: 'oOPENID', external_userid: 'wmEXT' }
        if (req.query.code === 'guest-plain') return { errcode: 0, errmsg: 'ok', openid: 'oOPENID2' }
        return { errcode: 40029, errmsg: 'invalid code' }
      case '/cgi-bin/user/get':
        if (req.query.userid !== 'zhangsan') return { errcode: 60111, errmsg: 'userid not found' }
        return {
          errcode: 0, errmsg: 'ok', userid: 'zhangsan', name: '张三', department: [1, 2], order: [1, 2],
          position: '后台工程师', is_leader_in_dept: [1, 0], direct_leader: ['lisi'], telephone: '020-123456',
          alias: 'jackzhang', main_department: 1, status: 1,
          extattr: { attrs: [{ type: 0, name: '文本名称', text: { value: '文本' } }] },
        }
      case '/cgi-bin/department/get':
        if (req.query.id !== '2') return { errcode: 60011, errmsg: 'no privilege to access/modify contact/party/agent' }
        return { errcode: 0, errmsg: 'ok', department: { id: 2, name: '广州研发中心', name_en: 'RDGZ', department_leader: ['zhangsan'], parentid: 1, order: 10 } }
      default:
        return { errcode: 0, errmsg: 'ok', echo: req.body ?? null }
    }
  }

  return fake
}

/** A logger that keeps every line, to check nothing secret is in them. */
export function recordingLogger() {
  const lines: { level: 'info' | 'warn'; msg: string; data?: object }[] = []
  return {
    lines,
    info: (msg: string, data?: object) => void lines.push({ level: 'info', msg, data }),
    warn: (msg: string, data?: object) => void lines.push({ level: 'warn', msg, data }),
  }
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}
