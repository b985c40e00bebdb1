import { defineStore } from 'pinia'
import { computed, shallowReactive, shallowRef } from 'vue'
import type { DepartmentTree, MemberDetail, MemberSummary } from '@portal/shared'
import { fetchDepartmentMembers, fetchDepartmentTree, fetchMember, fetchOtherMembers, searchMembers } from '../api/directory'
import type { ApiRequestError } from '../api/http'
import { indexDepartments } from '../lib/department-tree'
import { requestFailed } from '../lib/reauth'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface MemberList {
  items: readonly MemberSummary[]
  nextCursor: string | null
  total: number
  /** `ready` with a nextCursor means more pages can be loaded. */
  status: LoadStatus
  error: ApiRequestError | null
}

export interface SearchState {
  query: string
  status: LoadStatus
  items: readonly MemberSummary[]
  total: number
  error: ApiRequestError | null
}

export const MEMBER_PAGE_SIZE = 100
/** The member-list key of 其他可见成员 (department ids start at 1). */
export const OTHER_MEMBERS = 0
export const SEARCH_LIMIT = 50
/** Tree data older than this is refreshed in the background on the next visit (sync runs every 10 min). */
const TREE_TTL_MS = 10 * 60 * 1000
const MEMBER_CACHE_SIZE = 50

export const useDirectoryStore = defineStore('directory', () => {
  // ---- department tree -------------------------------------------------------------------
  const tree = shallowRef<DepartmentTree | null>(null)
  const treeStatus = shallowRef<LoadStatus>('idle')
  const treeError = shallowRef<ApiRequestError | null>(null)
  const departments = computed(() => indexDepartments(tree.value?.roots ?? []))
  let treeLoadedAt = 0
  let treeInFlight: Promise<void> | null = null

  function loadTree(): Promise<void> {
    treeInFlight ??= (async () => {
      // With a tree on screen a refresh stays silent; errors only show when there is nothing.
      if (!tree.value) treeStatus.value = 'loading'
      treeError.value = null
      try {
        tree.value = await fetchDepartmentTree()
        treeLoadedAt = Date.now()
        treeStatus.value = 'ready'
      } catch (e) {
        const err = requestFailed(e)
        if (!tree.value) {
          treeError.value = err
          treeStatus.value = 'error'
        }
      } finally {
        treeInFlight = null
      }
    })()
    return treeInFlight
  }

  /** Cached tree at once; fetched when missing, refreshed quietly when old. */
  function ensureTree(now = Date.now()): Promise<void> {
    if (tree.value && treeStatus.value === 'ready') {
      if (now - treeLoadedAt > TREE_TTL_MS) void loadTree()
      return Promise.resolve()
    }
    return loadTree()
  }

  // ---- members per department ------------------------------------------------------------
  const memberLists = shallowReactive(new Map<number, MemberList>())

  function memberList(id: number): MemberList | undefined {
    return memberLists.get(id)
  }

  async function fetchPage(id: number, reset: boolean): Promise<void> {
    const prev = reset ? undefined : memberLists.get(id)
    if (prev?.status === 'loading') return
    if (prev && prev.status !== 'error' && prev.nextCursor === null) return
    const list: MemberList = prev
      ? { ...prev, status: 'loading', error: null }
      : { items: [], nextCursor: null, total: 0, status: 'loading', error: null }
    memberLists.set(id, list)
    try {
      const query = { cursor: prev?.nextCursor, limit: MEMBER_PAGE_SIZE }
      const page = await (id === OTHER_MEMBERS ? fetchOtherMembers(query) : fetchDepartmentMembers(id, query))
      // A reset or another load replaced this list meanwhile: its answer wins.
      if (memberLists.get(id) !== list) return
      // The cursors are keysets, so pages do not overlap; someone whose name or order changed
      // between two pages may still come twice: never list a person twice.
      const seen = new Set(list.items.map((m) => m.userid))
      memberLists.set(id, {
        items: Object.freeze([...list.items, ...page.items.filter((m) => !seen.has(m.userid))]),
        nextCursor: page.nextCursor,
        total: page.total,
        status: 'ready',
        error: null,
      })
    } catch (e) {
      const err = requestFailed(e)
      if (memberLists.get(id) !== list) return
      memberLists.set(id, { ...list, status: 'error', error: err })
    }
  }

  /** First page unless cached (back navigation shows the list as it was left). */
  function ensureMembers(id: number): Promise<void> {
    const list = memberLists.get(id)
    // Only a first page that failed is fetched again; a later page's error waits for a tap.
    if (list && (list.items.length > 0 || list.status !== 'error')) return Promise.resolve()
    return fetchPage(id, true)
  }

  /** The next page; also the retry after a failed page. */
  function loadMoreMembers(id: number): Promise<void> {
    const list = memberLists.get(id)
    if (!list) return fetchPage(id, true)
    if (list.status === 'error' && list.items.length === 0) return fetchPage(id, true)
    return fetchPage(id, false)
  }

  // ---- search ----------------------------------------------------------------------------
  const search = shallowRef<SearchState>({ query: '', status: 'idle', items: [], total: 0, error: null })
  let searchSeq = 0
  let searchAbort: AbortController | null = null

  /** Runs a search; an older one still in flight is dropped. Empty text clears it. */
  async function runSearch(raw: string): Promise<void> {
    const query = raw.trim()
    const seq = ++searchSeq
    searchAbort?.abort()
    searchAbort = null
    if (!query) {
      search.value = { query: '', status: 'idle', items: [], total: 0, error: null }
      return
    }
    if (query === search.value.query && search.value.status === 'ready') return
    const abort = new AbortController()
    searchAbort = abort
    search.value = { ...search.value, query, status: 'loading', error: null }
    try {
      const res = await searchMembers(query, { limit: SEARCH_LIMIT, signal: abort.signal })
      if (seq !== searchSeq) return
      search.value = { query, status: 'ready', items: res.items, total: res.total, error: null }
    } catch (e) {
      if (seq !== searchSeq) return
      search.value = { query, status: 'error', items: [], total: 0, error: requestFailed(e) }
    }
  }

  function clearSearch(): void {
    void runSearch('')
  }

  // ---- member cards ----------------------------------------------------------------------
  const memberCards = shallowReactive(new Map<string, MemberDetail>())

  /** A member's card, from cache when seen recently. Throws ApiRequestError (404: not_found). */
  async function loadMember(userid: string, opts: { fresh?: boolean } = {}): Promise<MemberDetail> {
    const cached = memberCards.get(userid)
    if (cached && !opts.fresh) return cached
    try {
      const detail = await fetchMember(userid)
      memberCards.delete(userid)
      memberCards.set(userid, detail)
      if (memberCards.size > MEMBER_CACHE_SIZE) memberCards.delete(memberCards.keys().next().value!)
      return detail
    } catch (e) {
      throw requestFailed(e)
    }
  }

  function cachedMember(userid: string): MemberDetail | undefined {
    return memberCards.get(userid)
  }

  return {
    tree,
    treeStatus,
    treeError,
    departments,
    loadTree,
    ensureTree,
    memberList,
    ensureMembers,
    loadMoreMembers,
    search,
    runSearch,
    clearSearch,
    loadMember,
    cachedMember,
  }
})
