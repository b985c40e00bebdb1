import { describe, expect, it } from 'vitest'
import { dayAndTime, dueInfo, relativeTime } from '../src/lib/todo-time'
import { actionKey, safeLink, sourceLabel } from '../src/lib/todo-view'
import { translate } from '../src/i18n/use-i18n'

// Local times, so the checks hold in any time zone.
const now = new Date(2026, 10, 21, 10, 0)
const at = (day: number, h: number, m = 0) => new Date(2026, 10, day, h, m).toISOString()

describe('todo times: odd input first', () => {
  it('leaves a value that is not a date as it is, and has no due info without a due time', () => {
    expect(relativeTime('soon', 'zh', now)).toBe('soon')
    expect(dueInfo(null, 'zh', now)).toBeNull()
    expect(dueInfo('not a date', 'zh', now)).toBeNull()
  })
})

describe('todo times', () => {
  it('reads created times relatively, then as a date', () => {
    expect(relativeTime(new Date(2026, 10, 21, 9, 59, 30).toISOString(), 'zh', now)).toBe('刚刚')
    expect(relativeTime(at(21, 9, 35), 'zh', now)).toBe('25分钟前')
    expect(relativeTime(at(21, 7), 'zh', now)).toBe('3小时前')
    expect(relativeTime(at(20, 9), 'zh', now)).toBe('昨天')
    expect(relativeTime(at(18, 9), 'zh', now)).toBe('3天前')
    expect(relativeTime(at(2, 9), 'zh', now)).toBe('11月2日')
    expect(relativeTime(at(21, 7), 'en', now)).toBe('3 hours ago')
    expect(relativeTime(at(20, 9), 'en', now)).toBe('yesterday')
  })

  it('names today, tomorrow and yesterday', () => {
    expect(dayAndTime(at(21, 18), 'zh', now)).toBe('今天 18:00')
    expect(dayAndTime(at(22, 9, 30), 'zh', now)).toBe('明天 09:30')
    expect(dayAndTime(at(20, 18), 'zh', now)).toBe('昨天 18:00')
    expect(dayAndTime(at(25, 18), 'zh', now)).toBe('11月25日 18:00')
    expect(dayAndTime(at(22, 9, 30), 'en', now)).toBe('tomorrow 09:30')
  })

  it('marks due times: overdue, within a day, later', () => {
    expect(dueInfo(at(20, 18), 'zh', now)).toEqual({ tone: 'overdue', text: '已逾期 · 昨天 18:00' })
    expect(dueInfo(at(21, 18), 'zh', now)).toEqual({ tone: 'soon', text: '今天 18:00 截止' })
    expect(dueInfo(at(22, 9), 'zh', now)!.tone).toBe('soon')
    expect(dueInfo(at(25, 18), 'zh', now)).toEqual({ tone: 'later', text: '11月25日 18:00 截止' })
    expect(dueInfo(at(21, 18), 'en', now)!.text).toBe('Due today 18:00')
  })
})

describe('todo view', () => {
  const t = (k: Parameters<typeof translate>[1]) => translate('zh', k)

  it('only web links are actions', () => {
    expect(safeLink('javascript:alert(1)')).toBeNull()
    expect(safeLink('data:text/html,x')).toBeNull()
    expect(safeLink('/relative')).toBeNull()
    expect(safeLink('https://erp.example.cn/a?b=1')).toBe('https://erp.example.cn/a?b=1')
  })

  it('labels the source and the main action', () => {
    expect(sourceLabel({ source: 'approval', origin: '202611200001' }, t)).toBe('审批')
    expect(sourceLabel({ source: 'host', origin: '排班系统' }, t)).toBe('排班系统')
    expect(sourceLabel({ source: 'host', origin: '' }, t)).toBe('业务系统')
    expect(sourceLabel({ source: 'host', origin: 'oa', originName: 'OA 审批' }, t)).toBe('OA 审批')
    expect(actionKey({ source: 'approval', status: 'done' })).toBe('todo.viewApproval')
    expect(actionKey({ source: 'host', status: 'pending' })).toBe('todo.handle')
    expect(actionKey({ source: 'host', status: 'cancelled' })).toBe('todo.view')
  })
})

describe('todo times in the corp\'s zone', () => {
  it('reads days and times in the zone the console set, not the device\'s', async () => {
    const { setCorpTimeZone, formatShortDateTime } = await import('../src/lib/format')
    // 02:00 UTC on 4 December is 10:00 in Shanghai; at 17:00 UTC on the 3rd it is already the 4th there.
    const due = '2026-12-04T02:00:00Z'
    const late = new Date('2026-12-03T17:00:00Z')
    try {
      setCorpTimeZone('Asia/Shanghai')
      expect(dayAndTime(due, 'zh', late)).toBe('今天 10:00')
      expect(dueInfo(due, 'zh', late)?.text).toContain('今天 10:00')
      expect(formatShortDateTime(due, 'zh', late)).toBe('10:00')
      setCorpTimeZone('America/New_York')
      // 21:00 on the 3rd in New York, and 12:00 on the 3rd there too: same day.
      expect(dayAndTime(due, 'en', new Date('2026-12-03T17:00:00Z'))).toBe('today 21:00')
    } finally {
      setCorpTimeZone(undefined)
    }
  })
})
