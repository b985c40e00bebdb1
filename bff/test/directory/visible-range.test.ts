import { describe, expect, it } from 'vitest'
import type { WeComDepartment } from '../../src/wecom'
import { withTagDepartments, type Call } from '../../src/directory/visible-range'

const dep = (id: number, parentid: number): WeComDepartment => ({ id, name: `部门${id}`, parentid, order: 0 })

/** WeCom is the boundary here: `call` stands in for department/list?id= and records what was asked. */
function fakeCall(subtrees: Record<number, WeComDepartment[]>) {
  const asked: unknown[] = []
  const call = (async (path: string, query: Record<string, string | number>) => {
    asked.push([path, query])
    const id = Number(query.id)
    if (!subtrees[id]) throw new Error(`60011 for ${id}`)
    return { department: subtrees[id] }
  }) as Call
  return { call, asked }
}

describe('departments a tag names', () => {
  it('a failure reading a left-out department rejects (no partial read)', async () => {
    const { call } = fakeCall({})
    await expect(withTagDepartments(call, [dep(2, 1)], [9])).rejects.toThrow('60011 for 9')
  })

  it('reads only those department/list left out, each subtree once, keeping the listed ones', async () => {
    const { call, asked } = fakeCall({ 9: [dep(9, 1), dep(10, 9), dep(3, 2)] })
    const out = await withTagDepartments(call, [dep(2, 1), dep(3, 2)], [3, 9])
    expect(asked).toEqual([['/cgi-bin/department/list', { id: 9 }]])
    expect(out.map((d) => d.id)).toEqual([2, 3, 9, 10])
  })

  it('asks nothing when department/list already had them', async () => {
    const { call, asked } = fakeCall({})
    expect((await withTagDepartments(call, [dep(2, 1)], [2])).map((d) => d.id)).toEqual([2])
    expect(asked).toEqual([])
  })
})
