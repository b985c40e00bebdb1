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
import { fillPath, withQuery } from './paths'

export function fetchDepartmentTree(): Promise<DepartmentTree> {
  return requestJson(endpoints.departments.path, departmentTreeSchema)
}

export function fetchDepartmentMembers(id: number, page: { cursor?: string | null; limit?: number } = {}): Promise<MemberPage> {
  const path = fillPath(endpoints.departmentMembers.path, { id })
  return requestJson(withQuery(path, { cursor: page.cursor, limit: page.limit }), memberPageSchema)
}

/** Members visible on their own or through a tag, in no visible department (其他可见成员). */
export function fetchOtherMembers(page: { cursor?: string | null; limit?: number } = {}): Promise<MemberPage> {
  return requestJson(withQuery(endpoints.otherMembers.path, { cursor: page.cursor, limit: page.limit }), memberPageSchema)
}

export function searchMembers(q: string, opts: { limit?: number; signal?: AbortSignal } = {}): Promise<SearchResult> {
  return requestJson(withQuery(endpoints.search.path, { q, limit: opts.limit }), searchResultSchema, { signal: opts.signal })
}

export function fetchMember(userid: string): Promise<MemberDetail> {
  return requestJson(fillPath(endpoints.member.path, { userid }), memberDetailSchema)
}
