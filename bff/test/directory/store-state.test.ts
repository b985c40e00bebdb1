import { expect, it } from 'vitest'
import { removeDepartments, upsertDepartments } from '../../src/directory/apply-diff'
import { diffDepartments } from '../../src/directory/diff'
import type { DepartmentRecord } from '../../src/directory/member-store'
import { loadDepartments, loadSyncState } from '../../src/directory/store-state'
import { describeEachDb } from '../helpers/test-db'

// What a sync compares WeCom's answer with: a department read back must equal the one written,
// or every sync would rewrite it; a member's line must keep its hash, status and standing.
describeEachDb('the stored state a sync compares with', (open) => {
  const departments: DepartmentRecord[] = [
    { id: 1, name: '总公司', order: 0, leaders: [] },
    { id: 2, name: '研发 "核心" 部', nameEn: 'R&D, core', parentId: 1, order: 4294967295, leaders: ['zhangsan', 'LiSi'] },
    { id: 3, name: 'x\\y', nameEn: '', parentId: 2, order: 100000000, leaders: ['wangwu'] },
    { id: 4, name: '已撤销', parentId: 1, order: 7, leaders: [] },
  ]

  it('gives back every department as it was written, so an unchanged org changes none', async () => {
    const db = await open()
    try {
      const removedAt = new Date('2026-11-30T08:15:30.123Z')
      await db.transaction(async (tx) => {
        await upsertDepartments(tx, departments, new Date())
        await removeDepartments(tx, [4], removedAt)
      })
      const stored = await loadDepartments(db)
      expect([...stored.values()]).toEqual(
        expect.arrayContaining([
          { id: 1, name: '总公司', nameEn: undefined, parentId: undefined, order: 0, leaders: [], removedAt: undefined },
          { ...departments[1], removedAt: undefined },
          { ...departments[2], removedAt: undefined },
          { ...departments[3], nameEn: undefined, removedAt },
        ]),
      )
      expect(stored.size).toBe(4)
      expect(diffDepartments(stored, departments.slice(0, 3))).toEqual({ created: [], updated: [], removed: [] })
      // The removed one coming back is an update; one no longer upstream is a removal.
      expect(diffDepartments(stored, [departments[0]!, departments[1]!, departments[3]!])).toEqual({ created: [], updated: [departments[3]], removed: [3] })
    } finally {
      await db.close()
    }
  })

  it('reads each member as hash, status, disabled or not, and userid, keyed case-insensitively', async () => {
    const db = await open()
    try {
      await db.query(
        `insert into members (userid, name, status, sync_hash, disabled_at) values
           ('ZhangSan', '张三', 1, 'h-1_x', null), ('quit.user@corp', '离职', 5, 'h2', now()), ('nohash', '新人', 4, '', null)`,
      )
      const { members } = await loadSyncState(db)
      expect(members).toEqual(
        new Map([
          ['zhangsan', { userid: 'ZhangSan', hash: 'h-1_x', status: 1, disabledAt: undefined }],
          ['quit.user@corp', { userid: 'quit.user@corp', hash: 'h2', status: 5, disabledAt: new Date(0) }],
          ['nohash', { userid: 'nohash', hash: '', status: 4, disabledAt: undefined }],
        ]),
      )
    } finally {
      await db.close()
    }
  })

  it('is empty for an empty directory', async () => {
    const db = await open()
    try {
      const state = await loadSyncState(db)
      expect(state.members.size).toBe(0)
      expect(state.departments.size).toBe(0)
    } finally {
      await db.close()
    }
  })
})
