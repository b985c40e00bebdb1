import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { formatCorpTime, validTimeZone } from '../../src/time/corp-time'

describe('times for people, in the corp zone', () => {
  const due = new Date('2026-12-04T10:00:00+08:00')

  it('writes a 10:00+08:00 time as 10:00 in Asia/Shanghai, 02:00 in UTC, and across a day boundary', () => {
    expect(formatCorpTime(due, 'Asia/Shanghai')).toBe('2026-12-04 10:00')
    expect(formatCorpTime(due, 'UTC')).toBe('2026-12-04 02:00')
    expect(formatCorpTime(due, 'America/Los_Angeles')).toBe('2026-12-03 18:00')
    expect(formatCorpTime(new Date('2026-12-31T16:30:05Z'), 'Asia/Shanghai', { seconds: true, offset: true })).toBe('2027-01-01 00:30:05 GMT+8')
    // Midnight is 00, not 24.
    expect(formatCorpTime(new Date('2026-12-03T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-04 00:00')
  })

  it('knows IANA zones and nothing else', () => {
    for (const z of ['Asia/Shanghai', 'UTC', 'Europe/Berlin']) expect(validTimeZone(z), z).toBe(true)
    for (const z of ['', 'Mars/Olympus', 'GMT+25', 'x'.repeat(65)]) expect(validTimeZone(z), z).toBe(false)
  })

  it('reads CORP_TIME_ZONE (default Asia/Shanghai) and refuses an unknown zone at start', () => {
    const base = { SESSION_SECRET: 'x'.repeat(32) }
    const ok = loadConfig(base, '/tmp')
    expect(ok.ok && ok.config.timeZone).toBe('Asia/Shanghai')
    const utc = loadConfig({ ...base, CORP_TIME_ZONE: 'UTC' }, '/tmp')
    expect(utc.ok && utc.config.timeZone).toBe('UTC')
    expect(utc.ok && utc.config.locked.timeZone).toEqual({ source: 'env', envVar: 'CORP_TIME_ZONE' })
    const bad = loadConfig({ ...base, CORP_TIME_ZONE: 'Mars/Olympus' }, '/tmp')
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^CORP_TIME_ZONE: "Mars\/Olympus" is not a time zone/)])
  })
})
