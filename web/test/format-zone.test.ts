import { afterEach, describe, expect, it } from 'vitest'
import { formatDateTime, setCorpTimeZone } from '../src/lib/format'

describe('formatDateTime in the corp zone', () => {
  afterEach(() => setCorpTimeZone(undefined))

  it('shows a time in the zone /api/app names, whatever the device zone', () => {
    setCorpTimeZone('Asia/Shanghai')
    expect(formatDateTime('2026-12-04T02:00:00Z', 'en')).toBe('Dec 4, 2026, 10:00 AM')
    setCorpTimeZone('UTC')
    expect(formatDateTime('2026-12-04T02:00:00Z', 'en')).toBe('Dec 4, 2026, 2:00 AM')
  })

  it('ignores a zone this browser does not know, and keeps non-dates as they are', () => {
    setCorpTimeZone('Mars/Olympus')
    expect(formatDateTime('not a date', 'zh')).toBe('not a date')
    expect(() => formatDateTime('2026-12-04T02:00:00Z', 'zh')).not.toThrow()
  })
})
