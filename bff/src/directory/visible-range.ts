import type { WeComDepartment } from '../wecom'

/**
 * agent/get's visible range (https://developer.work.weixin.qq.com/document/path/90227):
 * `allow_userinfos.user[].userid`, `allow_partys.partyid[]`, `allow_tags.tagid[]`.
 */
export interface AgentRange {
  allow_userinfos?: { user?: { userid: string }[] }
  allow_partys?: { partyid?: number[] }
  allow_tags?: { tagid?: number[] }
}

/** tag/get (https://developer.work.weixin.qq.com/document/path/90213): the tag's members and departments. */
export interface TagMembers {
  userlist?: { userid: string }[]
  partylist?: number[]
}

export type Call = <T extends object>(path: string, query: Record<string, string | number>) => Promise<T>

/** What the range names beyond department/list: people by userid (lower-cased key) and the tags' departments. */
export interface NamedRange {
  /** Members named in the range or in one of its tags: read with user/get unless a department list already had them. */
  people: Map<string, string>
  tagDepartments: number[]
}

/** Reads agent/get and each tag in the range (tag/get), `concurrency` at a time. */
export async function readNamedRange(call: Call, agentId: string, mapLimit: <T, R>(items: T[], fn: (item: T) => Promise<R>) => Promise<R[]>): Promise<NamedRange> {
  const agent = await call<AgentRange>('/cgi-bin/agent/get', { agentid: agentId })
  const tags = await mapLimit(agent.allow_tags?.tagid ?? [], (tagid) => call<TagMembers>('/cgi-bin/tag/get', { tagid }))
  const people = new Map<string, string>()
  for (const u of [...(agent.allow_userinfos?.user ?? []), ...tags.flatMap((t) => t.userlist ?? [])]) people.set(u.userid.toLowerCase(), u.userid)
  return { people, tagDepartments: [...new Set(tags.flatMap((t) => t.partylist ?? []))] }
}

/**
 * department/list lists the range's departments; whether it lists a tag's departments too is not
 * documented [M], so any it left out are read as their own subtrees (department/list?id=).
 */
export async function withTagDepartments(call: Call, listed: WeComDepartment[], tagDepartments: number[]): Promise<WeComDepartment[]> {
  const byId = new Map(listed.map((d) => [d.id, d]))
  for (const id of tagDepartments) {
    if (byId.has(id)) continue
    const { department } = await call<{ department: WeComDepartment[] }>('/cgi-bin/department/list', { id })
    for (const d of department) if (!byId.has(d.id)) byId.set(d.id, d)
  }
  return [...byId.values()]
}
