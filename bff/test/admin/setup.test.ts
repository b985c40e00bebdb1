import { setupValuesSchema } from '@portal/shared'
import { describe, expect, it } from 'vitest'
import type { Mark, MarkName } from '../../src/admin/marks'
import { randomAlnum } from '../../src/admin/setup-routes'
import { setupValues } from '../../src/admin/setup-values'
import { settingsOf } from '../../src/admin/settings/runtime'
import type { Config } from '../../src/config'
import { doctorConfig } from './doctor-helpers'

const withSettings = (config: Config) => ({ config, settings: settingsOf(config) })

const none = new Map<MarkName, Mark>()
const env = { WECOM_OAUTH_BASE: 'https://open.weixin.qq.com' }

describe('setup values', () => {
  it('warn about an IP, localhost or http PUBLIC_URL outside sandbox mode, in both languages', () => {
    const ip = setupValues(withSettings(doctorConfig({ ...env, PUBLIC_URL: 'http://192.168.1.20:8080' })), none)
    expect(ip.domainWarnings.map((w) => w.en).join(' ')).toMatch(/IP address \(192\.168\.1\.20\).*not https/)
    expect(ip.domainWarnings.every((w) => w.zh && w.en)).toBe(true)
    expect(setupValues(withSettings(doctorConfig({ ...env, PUBLIC_URL: 'https://localhost' })), none).domainWarnings.map((w) => w.en).join(' ')).toContain('localhost')
    expect(setupValues(withSettings(doctorConfig({ ...env, PUBLIC_URL: 'https://[2001:db8::1]' })), none).domainWarnings.map((w) => w.en).join(' ')).toContain('IP address (2001:db8::1)')
    // The sandbox takes anything.
    expect(setupValues(withSettings(doctorConfig({ WECOM_CORP_ID: '', PUBLIC_URL: 'http://localhost:3000' })), none).domainWarnings).toEqual([])
  })

  it('give the homepage as our /auth/login under the path prefix', () => {
    const v = setupValues(withSettings(doctorConfig({ ...env, PUBLIC_URL: 'https://portal.school.edu.cn/portal' })), none)
    expect(setupValuesSchema.parse(v)).toEqual(v)
    expect(v.homepageUrl).toBe('https://portal.school.edu.cn/portal/auth/login')
    expect(v).toMatchObject({
      trustedDomain: 'portal.school.edu.cn',
      loginCallbackDomain: 'portal.school.edu.cn',
      callbackUrl: 'https://portal.school.edu.cn/portal/wecom/callback',
      publicUrl: 'https://portal.school.edu.cn/portal',
      domainWarnings: [],
    })
    expect(v.egressIp).toBeUndefined()
  })

  it('build a deep link as the homepage on request', () => {
    const v = setupValues(withSettings(doctorConfig(env)), none, '/todos?tab=done')
    expect(v.homepageUrl).toBe('https://portal.example.com/auth/login?returnTo=%2Ftodos%3Ftab%3Ddone')
  })

  it('show the egress IP WeCom last refused, with when, and the port in the trusted domain', () => {
    const seen = new Date(Date.UTC(2026, 10, 5, 3, 4, 5))
    const v = setupValues(withSettings(doctorConfig({ ...env, PUBLIC_URL: 'https://portal.example.com:8443' })), new Map([['ip_rejected', { at: seen, detail: { ip: '203.0.113.7', path: '/cgi-bin/user/get' } }]]))
    expect(v.egressIp).toEqual({ ip: '203.0.113.7', seenAt: seen.toISOString() })
    expect(v.trustedDomain).toBe('portal.example.com:8443')
  })

  it('say whether the callback Token and key are set, never what they are', () => {
    const set = setupValues(withSettings(doctorConfig({ ...env, WECOM_CALLBACK_TOKEN: 'tok', WECOM_CALLBACK_AES_KEY: 'a'.repeat(43) })), none)
    expect(set).toMatchObject({ callbackTokenSet: true, callbackAesKeySet: true })
    expect(JSON.stringify(set)).not.toContain('a'.repeat(43))
    expect(setupValues(withSettings(doctorConfig(env)), none)).toMatchObject({ callbackTokenSet: false, callbackAesKeySet: false })
  })
})

describe('generated callback credentials', () => {
  it('are letters and digits from the whole alphabet, fresh each time', () => {
    const keys = Array.from({ length: 200 }, () => randomAlnum(43))
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9]{43}$/)
    expect(new Set(keys).size).toBe(200)
    const seen = new Set(keys.join(''))
    expect(seen.size).toBe(62)
  })
})
