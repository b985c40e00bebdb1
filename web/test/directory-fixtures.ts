import type { DepartmentNode, DepartmentTree, MemberDetail, MemberSummary } from '@portal/shared'
import { jsonResponse } from './fixtures'

function dept(id: number, name: string, parentId: number | null, memberCount: number, totalCount: number, children: DepartmentNode[] = []): DepartmentNode {
  return { id, name, parentId, order: id, leaders: [], memberCount, totalCount, children }
}

/** 星河科技 › 研发中心 › 平台研发部 › 前端组 (250 people), plus 市场部. */
export function sampleTree(over: Partial<DepartmentTree> = {}): DepartmentTree {
  const frontend = dept(8, '前端组', 5, 250, 250)
  const platform = dept(5, '平台研发部', 2, 3, 253, [frontend])
  const rnd = dept(2, '研发中心', 1, 2, 255, [platform])
  const market = dept(3, '市场部', 1, 12, 12)
  return { roots: [dept(1, '星河科技有限公司', null, 1, 268, [rnd, market])], syncedAt: '2026-11-21T01:00:00.000Z', ...over }
}

export function sampleMembers(n: number, deptId = 8): MemberSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    userid: `u${deptId}-${i}`,
    name: i === 0 ? '张三' : `成员${i}`,
    position: i === 0 ? '前端负责人' : '工程师',
    mainDepartment: { id: deptId, name: '前端组' },
    ...(i === 0 ? { isLeader: true } : {}),
  }))
}

export function sampleDetail(over: Partial<MemberDetail> = {}): MemberDetail {
  return {
    userid: 'zhangsan',
    name: '张三',
    alias: 'Sam',
    position: '前端负责人',
    mainDepartment: { id: 8, name: '前端组' },
    departments: [
      { id: 8, name: '前端组', path: ['星河科技有限公司', '研发中心', '平台研发部', '前端组'], isLeader: true },
      { id: 3, name: '市场部', path: ['星河科技有限公司', '市场部'], isLeader: false },
    ],
    directLeaders: [{ userid: 'lisi', name: '李四' }],
    ...over,
  }
}

export interface FakeDirectory {
  tree?: DepartmentTree
  members?: Record<number, MemberSummary[]>
  details?: Record<string, MemberDetail>
  /** Query → results; anything else finds nobody. */
  search?: Record<string, MemberSummary[]>
}

/** A stand-in BFF for the directory endpoints, answering like the contract says. */
export function fakeDirectoryFetch(data: FakeDirectory): (input: RequestInfo | URL) => Promise<Response> {
  return async (input) => {
    const url = new URL(String(input), 'http://localhost')
    // Under a PUBLIC_URL prefix (/portal/api/...) the API is the same.
    const p = url.pathname.replace(/^.*?\/api\//, '/api/')
    if (p === '/api/directory/departments') return jsonResponse(200, data.tree ?? sampleTree())
    const members = /^\/api\/directory\/departments\/(\d+)\/members$/.exec(p) ?? (p === '/api/directory/other-members' ? [p, '0'] : null)
    if (members) {
      // Key 0: 其他可见成员.
      const all = data.members?.[Number(members[1])] ?? []
      const from = Number(url.searchParams.get('cursor') ?? 0)
      const limit = Number(url.searchParams.get('limit') ?? 50)
      const items = all.slice(from, from + limit)
      const next = from + limit < all.length ? String(from + limit) : null
      return jsonResponse(200, { items, nextCursor: next, total: all.length })
    }
    if (p === '/api/directory/search') {
      const items = data.search?.[url.searchParams.get('q') ?? ''] ?? []
      return jsonResponse(200, { items, total: items.length })
    }
    const member = /^\/api\/directory\/members\/([^/]+)$/.exec(p)
    if (member) {
      const d = data.details?.[decodeURIComponent(member[1]!)]
      return d ? jsonResponse(200, d) : jsonResponse(404, { error: { code: 'not_found', message: 'no such member' } })
    }
    return jsonResponse(404, { error: { code: 'not_found', message: p } })
  }
}
