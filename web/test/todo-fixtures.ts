import type { Todo } from '@portal/shared'
import { jsonResponse } from './fixtures'

/** 2026-11-21 10:00 Beijing time: the tests' "now". */
export const NOW = new Date('2026-11-21T02:00:00.000Z')

export function sampleTodo(over: Partial<Todo> = {}): Todo {
  return {
    id: 'td-1',
    source: 'approval',
    title: '差旅报销：上海客户拜访 2,380 元',
    summary: '报销 · 王芳 提交于 2026-11-20 16:12',
    link: 'https://work.weixin.qq.com/approval/detail?sp_no=202611200001',
    status: 'pending',
    createdAt: '2026-11-21T00:00:00.000Z',
    updatedAt: '2026-11-21T00:00:00.000Z',
    dueAt: null,
    requester: { userid: 'wangfang', name: '王芳' },
    origin: '202611200001',
    ...over,
  }
}

export function hostTodo(over: Partial<Todo> = {}): Todo {
  return sampleTodo({
    id: 'td-2',
    source: 'host',
    title: '确认 11 月排班表',
    summary: '请在周五前确认下月排班，如需调班请备注原因。',
    link: 'https://erp.example.cn/schedule/confirm?id=88',
    origin: '排班系统',
    requester: { userid: 'lisi', name: '李四' },
    ...over,
  })
}

export interface FakeTodos {
  pending?: Todo[]
  done?: Todo[]
  /** Detail answers; by default any todo in the lists. */
  details?: Record<string, Todo>
  /** Todos a page (200, as the BFF); the cursor is the next page's offset. */
  pageSize?: number
  /** Answers 500 to a page after the first while true. */
  failMore?: () => boolean
}

/** A stand-in BFF for the todo endpoints, answering like the contract says. */
export function fakeTodosFetch(data: FakeTodos): (input: RequestInfo | URL) => Promise<Response> {
  return async (input) => {
    const url = new URL(String(input), 'http://localhost')
    const p = url.pathname.replace(/^.*?\/api\//, '/api/')
    const pending = data.pending ?? []
    const done = data.done ?? []
    const counts = { pending: pending.length, done: done.length }
    if (p === '/api/todos') {
      const status = url.searchParams.get('status')
      if (status !== 'pending' && status !== 'done') return jsonResponse(400, { error: { code: 'bad_request', message: 'status' } })
      const all = status === 'done' ? done : pending
      const size = data.pageSize ?? 200
      const cursor = url.searchParams.get('cursor')
      if (cursor && data.failMore?.()) return jsonResponse(500, { error: { code: 'internal', message: 'boom' } })
      const from = cursor ? Number(cursor.replace('p', '')) : 0
      const next = from + size < all.length ? `p${from + size}` : null
      return jsonResponse(200, { items: all.slice(from, from + size), counts, nextCursor: next })
    }
    const one = /^\/api\/todos\/([^/]+)$/.exec(p)
    if (one) {
      const id = decodeURIComponent(one[1]!)
      const todo = data.details?.[id] ?? [...pending, ...done].find((x) => x.id === id)
      return todo ? jsonResponse(200, todo) : jsonResponse(404, { error: { code: 'not_found', message: 'no such todo' } })
    }
    return jsonResponse(404, { error: { code: 'not_found', message: p } })
  }
}
