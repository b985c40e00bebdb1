import { describe, expect, it } from 'vitest'
import type { SyncRun } from '@portal/shared'
import { progressLine, runReport } from '../../src/cli/sync-output'

const counts: SyncRun['counts'] = {
  departmentsSeen: 230,
  membersSeen: 4210,
  departmentsCreated: 1,
  departmentsUpdated: 0,
  departmentsRemoved: 0,
  membersCreated: 3,
  membersUpdated: 5,
  membersDisabled: 1,
  rowsWritten: 10,
}
const run = (over: Partial<SyncRun> = {}): SyncRun => ({
  id: 12,
  kind: 'full',
  trigger: 'cli',
  status: 'succeeded',
  startedAt: '2026-12-01T00:00:00.000Z',
  finishedAt: '2026-12-01T00:00:05.000Z',
  progress: { phase: 'done', done: 1, total: 1 },
  counts,
  errors: [],
  ...over,
})

// `pnpm sync` reads like the console: words in the LANG language, never raw keys.
describe('pnpm sync output', () => {
  it('the live line: phases in words, departments and members while reading, no "0/1 departments" after', () => {
    expect(progressLine({ phase: 'starting', done: 0, total: 0 }, 'zh')).toBe('准备中')
    expect(progressLine({ phase: 'reading', done: 40, total: 230, members: 1500 }, 'zh')).toBe('读取通讯录：部门 40/230，成员 1500 人')
    expect(progressLine({ phase: 'reading', done: 40, total: 230, members: 1500 }, 'en')).toBe('Reading the directory: 40/230 departments, 1500 members')
    expect(progressLine({ phase: 'comparing', done: 0, total: 1 }, 'en')).toBe('Comparing')
    expect(progressLine({ phase: 'writing', done: 0, total: 1 }, 'zh')).toBe('写入变化')
  })

  it('the report: counts labelled in words, the kind said as the console says it', () => {
    const zh = runReport(run({ kind: 'force' }), 'zh')
    expect(zh).toContain('第 12 次同步，强制同步（读取与普通同步相同，调用的企业微信接口也相同，但重写全部部门和成员）：成功')
    expect(zh).toMatch(/读取的成员\s+4210/)
    expect(zh).toMatch(/停用成员\s+1/)
    const en = runReport(run(), 'en')
    expect(en).toContain('Run 12, sync (writes only the departments and members that changed): succeeded')
    expect(en).toMatch(/Departments read\s+230/)
    for (const text of [zh, en]) expect(text).not.toMatch(/departmentsSeen|membersSeen|rowsWritten/)
  })

  it('a held run says how to confirm it, in the language asked for', () => {
    const held = run({ status: 'held', hold: { wouldDisable: 52, members: 230, maxShare: 0.2 } })
    expect(runReport(held, 'zh')).toContain('本次会停用 52 人（现有 230 人），超过允许的 20%')
    expect(runReport(held, 'zh')).toContain('pnpm sync --confirm 12')
    expect(runReport(held, 'en')).toContain("would disable 52 of the directory's 230 members (allowed 20%)")
  })
})
