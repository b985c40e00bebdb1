import {
  departmentTreeSchema,
  endpoints,
  memberDetailSchema,
  memberPageSchema,
  searchResultSchema,
  type DepartmentTree,
  type MemberDetail,
  type MemberPage,
  type SearchResult,
} from '@portal/shared'
import { requestJson } from './http'

/** Fills `:name` segments of an endpoint path, encoded. */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/:(\w+)/g, (_whole, name: string) => encodeURIComponent(String(params[name] ?? '')))
}

function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v))
  const s = qs.toString()
  return s ? `${path}?${s}` : path
}

export function fetchDepartmentTree(): Promise<DepartmentTree> {
  return requestJson(endpoints.departments.path, departmentTreeSchema)
}

export function fetchDepartmentMembers(id: number, page: { cursor?: string | null; limit?: number } = {}): Promise<MemberPage> {
  const path = fill(endpoints.departmentMembers.path, { id })
  return requestJson(withQuery(path, { cursor: page.cursor, limit: page.limit }), memberPageSchema)
}

export function searchMembers(q: string, opts: { limit?: number; signal?: AbortSignal } = {}): Promise<SearchResult> {
  return requestJson(withQuery(endpoints.search.path, { q, limit: opts.limit }), searchResultSchema, { signal: opts.signal })
}

export function fetchMember(userid: string): Promise<MemberDetail> {
  return requestJson(fill(endpoints.member.path, { userid }), memberDetailSchema)
}
