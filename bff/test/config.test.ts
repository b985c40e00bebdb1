import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config'
import { createHostKeyMatcher } from '../src/todos/host-auth'

const cwd = () => mkdtempSync(join(tmpdir(), 'cfg-'))
const real = { WECOM_CORP_ID: 'ww0123456789abcdef', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'x'.repeat(43), SESSION_SECRET: 'k'.repeat(32) }

describe('config', () => {
  it('reports every problem, one line each', () => {
    const r = loadConfig({ WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: 'abc', PORT: '99999', PUBLIC_URL: 'ftp://x', ROLE_POLICY: 'everyone', SESSION_IDLE_TIMEOUT: 'soon', WECOM_CALLBACK_AES_KEY: 'short', MESSAGE_ENABLE: 'maybe' }, cwd())
    expect(r.ok).toBe(false)
    if (r.ok) return
    const text = r.problems.join('\n')
    for (const key of ['PORT', 'PUBLIC_URL', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'SESSION_SECRET', 'ROLE_POLICY', 'SESSION_IDLE_TIMEOUT', 'WECOM_CALLBACK_AES_KEY', 'MESSAGE_ENABLE']) {
      expect(text).toMatch(new RegExp(`^${key}:`, 'm'))
    }
    expect(r.problems.every((p) => !p.includes('\n'))).toBe(true)
  })

  it('rejects a named config file that is missing or not JSON', () => {
    const dir = cwd()
    const missing = loadConfig({ WECOM_CONFIG_FILE: 'nope.json' }, dir)
    expect(!missing.ok && missing.problems[0]).toMatch(/^WECOM_CONFIG_FILE: no file/)
    writeFileSync(join(dir, 'bad.json'), '{ corpId: ')
    const bad = loadConfig({ WECOM_CONFIG_FILE: 'bad.json' }, dir)
    expect(!bad.ok && bad.problems[0]).toMatch(/^WECOM_CONFIG_FILE: .*not valid JSON/)
  })

  it('runs in sandbox mode with defaults when no corp is configured', () => {
    const r = loadConfig({}, cwd())
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.config.mode).toBe('sandbox')
    expect(r.config.publicUrl).toBe('http://localhost:3000')
    expect(r.config.sandbox.url).toBe('http://localhost:3100')
    expect(r.config.wecom.apiBase).toBe('http://localhost:3100')
    expect(r.config.session.idleMs).toBe(8 * 3_600_000)
    expect(r.config.session.absoluteMs).toBe(7 * 86_400_000)
    expect(r.config.roles).toEqual({ adminUserids: ['zhangsan'], policy: 'all-members' })
    expect(r.config.secureCookies).toBe(false)
  })

  it('refuses a sandbox org size it cannot generate, naming the variable and the range', () => {
    for (const [k, v] of [
      ['SANDBOX_MEMBERS', 'lots'],
      ['SANDBOX_MEMBERS', '3'],
      ['SANDBOX_MEMBERS', '100000.5'],
      ['SANDBOX_MEMBERS', '5000000'],
      ['SANDBOX_DEPARTMENTS', '5'],
      ['SANDBOX_DEPARTMENTS', '-1'],
      ['SANDBOX_DEPARTMENTS', '1000000'],
    ] as const) {
      const r = loadConfig({ [k]: v }, cwd())
      expect(r.ok, `${k}=${v}`).toBe(false)
      if (r.ok) continue
      expect(r.problems).toHaveLength(1)
      expect(r.problems[0]).toMatch(new RegExp(`^${k}: expected a whole number from \\d+ \\(.+\\) to [\\d,]+, got "${v}"$`))
    }
  })

  it('keeps rows 90 days by default; RETENTION_DAYS=0 keeps everything, and less than a week is refused', () => {
    const days = (v?: string) => {
      const r = loadConfig(v === undefined ? {} : { RETENTION_DAYS: v }, cwd())
      return r.ok ? r.config.retention.days : r.problems.join('\n')
    }
    expect(days()).toBe(90)
    expect(days('0')).toBe(0)
    expect(days('7')).toBe(7)
    expect(days('3')).toBe('RETENTION_DAYS: expected 0 (keep everything) or at least 7 days, got 3')
    expect(days('30d')).toBe('RETENTION_DAYS: expected a whole number from 0 to 3650, got "30d"')
    expect(days('-1')).toMatch(/^RETENTION_DAYS: expected a whole number from 0 to 3650/)
  })

  it('sizes the sandbox org: the demo by default, departments scaled with SANDBOX_MEMBERS unless given', () => {
    const size = (env: Record<string, string>) => {
      const r = loadConfig(env, cwd())
      if (!r.ok) throw new Error(r.problems.join('\n'))
      return r.config.sandbox.org
    }
    expect(size({})).toEqual({ members: 240, departments: 24 })
    expect(size({ SANDBOX_MEMBERS: '100000' })).toEqual({ members: 100_000, departments: 5_000 })
    expect(size({ SANDBOX_MEMBERS: '100_000', SANDBOX_DEPARTMENTS: '5000' })).toEqual({ members: 100_000, departments: 5_000 })
    expect(size({ SANDBOX_MEMBERS: '500', SANDBOX_DEPARTMENTS: '20' })).toEqual({ members: 500, departments: 20 })
    expect(size({ SANDBOX_DEPARTMENTS: '30' })).toEqual({ members: 240, departments: 30 })
  })

  it('reads a real corp from env, with a path prefix in PUBLIC_URL', () => {
    const r = loadConfig({ ...real, PUBLIC_URL: 'https://portal.example.edu.cn/portal/', ADMIN_USERIDS: 'ZhangSan, lisi' }, cwd())
    expect(r.ok && r.config).toMatchObject({
      mode: 'wecom',
      publicUrl: 'https://portal.example.edu.cn/portal',
      basePath: '/portal/',
      secureCookies: true,
      wecom: { apiBase: 'https://qyapi.weixin.qq.com', oauthBase: 'https://open.weixin.qq.com', loginBase: 'https://login.work.weixin.qq.com' },
      roles: { adminUserids: ['zhangsan', 'lisi'] },
    })
  })

  it("accepts O2OA's qiyeweixin.json, with env taking precedence", () => {
    const dir = cwd()
    writeFileSync(
      join(dir, 'qiyeweixin.json'),
      JSON.stringify({ enable: true, corpId: 'wwfromfile00000001', corpSecret: 'f'.repeat(43), agentId: 1000005, apiAddress: 'https://proxy.example.com/', syncCron: '10 0/5 * * * ?', messageEnable: false, token: 'tok' }),
    )
    const r = loadConfig({ WECOM_CONFIG_FILE: 'qiyeweixin.json', SESSION_SECRET: 'k'.repeat(32), WECOM_AGENT_ID: '1000009' }, dir)
    expect(r.ok && r.config).toMatchObject({
      mode: 'wecom',
      wecom: { corpId: 'wwfromfile00000001', agentId: '1000009', apiBase: 'https://proxy.example.com', callbackToken: 'tok' },
      sync: { cron: '10 0/5 * * * ?', forceCron: '10 45 8,12 * * ?' },
      messageEnable: false,
    })
    writeFileSync(join(dir, 'off.json'), JSON.stringify({ enable: false, corpId: 'wwfromfile00000001' }))
    const off = loadConfig({ WECOM_CONFIG_FILE: 'off.json' }, dir)
    expect(off.ok && off.config.mode).toBe('sandbox')
  })

  describe('HOST_API_KEYS', () => {
    const hostKeys = (value: string) => loadConfig({ HOST_API_KEYS: value }, cwd())

    it('uses a key holding ":" whole: the name ends at the first ":"', () => {
      const key = 'AAAAAAAAAAAAAAAAAAAAAAAA:tail:more'
      const r = hostKeys(`hostc:${key},oa:${'o'.repeat(24)}`)
      expect(r.ok && r.config.hostApiKeys).toEqual([{ name: 'hostc', key }, { name: 'oa', key: 'o'.repeat(24) }])
      if (!r.ok) return
      const match = createHostKeyMatcher(r.config.hostApiKeys)
      expect(match(key)).toBe('hostc')
      // The part before the second ':' (what used to be accepted) is not a key.
      expect(match(key.slice(0, key.indexOf(':')))).toBeUndefined()
    })

    it.each([
      ['no colon', 'justakeywithoutanyname0123456789', /no ':'/],
      ['a bad name', `o a:${'k'.repeat(24)}`, /the name/],
      ['an empty name', `:${'k'.repeat(24)}`, /the name/],
      ['a short key', 'oa:short:key', /at least 24 characters, got 9/],
      ['a key with a space', `oa:${'k'.repeat(24)} x`, /visible ASCII/],
      ['a key with non-ASCII', `oa:${'k'.repeat(24)}钥`, /visible ASCII/],
      ['one key for two hosts', `oa:${'k'.repeat(24)},crm:${'k'.repeat(24)}`, /configured twice/],
    ])('refuses %s at start, with a clear message that does not quote the key', (_label, value, message) => {
      const r = hostKeys(value)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.problems).toHaveLength(1)
      expect(r.problems[0]).toMatch(/^HOST_API_KEYS: /)
      expect(r.problems[0]).toMatch(message)
      expect(r.problems[0]).not.toContain('k'.repeat(24))
      expect(r.problems[0]).not.toContain('justakey')
    })
  })

  describe('HOST_DISPLAY_NAMES', () => {
    const named = (value: string | undefined, extra: Record<string, string> = {}) => loadConfig({ ...(value === undefined ? {} : { HOST_DISPLAY_NAMES: value }), ...extra }, cwd())

    it('names hosts for people, full-width commas and spaces allowed; locks the console setting', () => {
      const r = named(' oa = OA 审批 ，crm=客户系统,\nconstructor=构造 ')
      expect(r.ok).toBe(true)
      if (!r.ok) return
      expect({ ...r.config.hostDisplayNames }).toEqual({ oa: 'OA 审批', crm: '客户系统', constructor: '构造' })
      expect(r.config.locked.hostDisplayNames).toEqual({ source: 'env', envVar: 'HOST_DISPLAY_NAMES' })
    })

    it('gives the sandbox demo host a Chinese name, and a real corp none', () => {
      const sandbox = named(undefined)
      expect(sandbox.ok && { ...sandbox.config.hostDisplayNames }).toEqual({ 'demo-host': '示例 OA' })
      const corp = named(undefined, { WECOM_CORP_ID: 'ww0123456789abcdef', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'x'.repeat(43), PUBLIC_URL: 'https://portal.example.com', SESSION_SECRET: 's'.repeat(32) })
      expect(corp.ok && { ...corp.config.hostDisplayNames }).toEqual({})
    })

    it.each([
      ['no "="', 'oa OA 审批', /has no "="/],
      ['a bad host name', 'o a=OA', /the host must be its name in HOST_API_KEYS/],
      ['an empty display name', 'oa=', /1–16 characters, got 0/],
      ['a display name too long for the tag', `oa=${'审'.repeat(17)}`, /1–16 characters, got 17/],
      ['a control character', 'oa=OA\u0007', /control characters/],
      ['a host named twice', 'oa=A,oa=B', /"oa" is named twice/],
      ['__proto__ twice', '__proto__=A,__proto__=B', /"__proto__" is named twice/],
    ])('refuses %s at start, naming the variable', (_label, value, message) => {
      const r = named(value)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.problems).toHaveLength(1)
      expect(r.problems[0]).toMatch(/^HOST_DISPLAY_NAMES: /)
      expect(r.problems[0]).toMatch(message)
    })
  })
})
