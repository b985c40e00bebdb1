import { describe, expect, it, vi } from 'vitest'
import { fetchTodo, fetchTodos } from '../src/api/todos'
import { TODOS_FRESH_MS, useTodosStore } from '../src/stores/todos'
import { jsonResponse } from './fixtures'
import { fakeTodosFetch, hostTodo, sampleTodo } from './todo-fixtures'
import { caught, useApiEnv } from './api-env'

const fetchMock = useApiEnv()

const urlOf = (call: number) => String(fetchMock.mock.calls[call]![0])

describe('todos api: bad answers are errors, never data', () => {
  it('rejects a list without counts, or with a count that is not an integer', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: [sampleTodo()] }))
    expect((await caught(fetchTodos('pending'))).code).toBe('invalid_response')
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: [], counts: { pending: 1.5, done: 0 }, nextCursor: null }))
    expect((await caught(fetchTodos('pending'))).code).toBe('invalid_response')
  })

  it('rejects an item with an unknown status or source, or a missing requester field', async () => {
    const bad = [{ ...sampleTodo(), status: 'approved' }, { ...sampleTodo(), source: 'email' }, { ...sampleTodo(), requester: undefined }]
    for (const item of bad) {
      fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: [item], counts: { pending: 1, done: 0 }, nextCursor: null }))
      expect((await caught(fetchTodos('pending'))).code).toBe('invalid_response')
    }
  })

  it('rejects a todo answered as HTML (a proxy login page) and maps 404 to not_found', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>login</html>', { status: 200 }))
    expect((await caught(fetchTodo('td-1'))).code).toBe('invalid_response')
    fetchMock.mockResolvedValueOnce(jsonResponse(404, { error: { code: 'not_found', message: 'no such todo' } }))
    expect(await caught(fetchTodo('someone-elses'))).toMatchObject({ status: 404, code: 'not_found' })
  })

  it('parses a valid list: done holds done and cancelled, each with its status', async () => {
    const done = [sampleTodo({ id: 'a', status: 'done' }), hostTodo({ id: 'b', status: 'cancelled' })]
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()], done }))
    const list = await fetchTodos('done')
    expect(list.counts).toEqual({ pending: 1, done: 2 })
    expect(list.items.map((x) => x.status)).toEqual(['done', 'cancelled'])
  })

  it('builds paths under the runtime base, the id encoded', async () => {
    window.__PORTAL_BASE__ = '/portal/'
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo({ id: 'a/b c' })] }))
    await fetchTodos('pending')
    await fetchTodos('done')
    await fetchTodo('a/b c')
    expect([urlOf(0), urlOf(1), urlOf(2)]).toEqual(['/portal/api/todos?status=pending', '/portal/api/todos?status=done', '/portal/api/todos/a%2Fb%20c'])
  })
})

describe('todos store', () => {
  it('a failed first load is an error; a failed refresh keeps the list and says so', async () => {
    const store = useTodosStore()
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await store.refresh('pending')
    expect(store.lists.pending).toMatchObject({ status: 'error', items: [], fetchedAt: null })
    expect(store.lists.pending.error!.code).toBe('network')
    expect(store.pendingCount).toBeNull()

    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo(), hostTodo()] }))
    await store.refresh('pending')
    expect(store.lists.pending).toMatchObject({ status: 'ready', error: null })
    expect(store.pendingCount).toBe(2)

    fetchMock.mockResolvedValueOnce(jsonResponse(502, { error: { code: 'wecom_error', message: 'x' } }))
    await store.refresh('pending')
    expect(store.lists.pending.status).toBe('ready')
    expect(store.lists.pending.items).toHaveLength(2)
    expect(store.lists.pending.error!.code).toBe('wecom_error')
  })

  it('a 401 goes to sign-in with the open page as returnTo', async () => {
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {})
    history.replaceState(null, '', '/todos/td-9')
    fetchMock.mockResolvedValue(jsonResponse(401, { error: { code: 'unauthenticated', message: 'session ended' } }))
    await caught(useTodosStore().loadTodo('td-9'))
    expect(assign).toHaveBeenCalledWith('/auth/login?returnTo=%2Ftodos%2Ftd-9')
    history.replaceState(null, '', '/')
  })

  it('callers at the same time share one request; freshen skips a fresh list', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()], done: [hostTodo({ status: 'done' })] }))
    const store = useTodosStore()
    await Promise.all([store.refresh(), store.freshen(), store.freshen('pending')])
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await store.freshen('pending')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await store.freshen('pending', TODOS_FRESH_MS, Date.now() + TODOS_FRESH_MS + 1)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    // Either list's answer updates both counts.
    await store.freshen('done')
    expect(store.counts).toEqual({ pending: 1, done: 1 })
    expect(store.lastFetched).not.toBeNull()
  })

  it('knows a todo from either list before its detail arrives', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()], done: [hostTodo({ status: 'done' })] }))
    const store = useTodosStore()
    expect(store.cachedTodo('td-2')).toBeUndefined()
    await Promise.all([store.refresh('pending'), store.refresh('done')])
    expect(store.cachedTodo('td-2')!.status).toBe('done')
    const fresh = await store.loadTodo('td-1')
    expect(store.cachedTodo('td-1')).toEqual(fresh)
  })
})
