import { demoPeople } from '../directory/demo-org'
import { html, type Html } from '../html'
import type { SearchResult } from './member-search'
import { departmentPath, type OrgIndex } from '../directory/org-index'
import type { Member } from '../directory/org-types'
import { EXTERNAL_CHOICE } from '../options'

export interface ChoicesInput {
  index: OrgIndex
  result: SearchResult
  query: string
  /** Where the search form GETs to, and the parameters it must carry along. */
  searchAction: string
  hidden: Record<string, string>
  /** Link for a member's userid, or for EXTERNAL_CHOICE. */
  hrefFor: (choice: string) => string
}

const statusTags: Record<number, string> = { 2: '已禁用', 4: '未激活', 5: '已退出' }
const demoIds = new Set(demoPeople.map((p) => p.userid))

/** Search box + members grouped by department + the non-member choice. Shared by all pickers. */
export function memberChoices(i: ChoicesInput): Html {
  const hidden = Object.entries(i.hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)
  const groups = groupByDepartment(i.index, i.result.items, !i.query.trim())
  const shown = i.result.items.length
  return html`<form class="search" method="get" action="${i.searchAction}">${hidden}
<input type="search" name="sandbox_q" value="${i.query}" placeholder="搜索姓名、账号、职务或部门" aria-label="搜索成员">
<button type="submit">搜索</button></form>
<p class="muted">共 ${i.result.total} 人${shown < i.result.total ? html`，显示前 ${shown} 人，请输入关键字缩小范围` : ''}</p>
${groups.map(([title, members]) => html`<h3>${title}</h3><ul class="list">${members.map((m) => memberItem(i.index, m, i.hrefFor(m.userid)))}</ul>`)}
<h3>非企业成员</h3><ul class="list"><li><a href="${i.hrefFor(EXTERNAL_CHOICE)}" data-choice="${EXTERNAL_CHOICE}">
<span class="av ext">微</span><span class="who"><b>外部微信用户</b><div>不是本企业成员，应用只会拿到 openid</div></span></a></li></ul>`
}

function memberItem(index: OrgIndex, m: Member, href: string): Html {
  const tag = statusTags[m.status]
  return html`<li><a href="${href}" data-choice="${m.userid}"><span class="av">${m.name.slice(-2)}</span>
<span class="who"><b>${m.name}</b>${tag ? html`<span class="tag warn">${tag}</span>` : ''}
<div>${m.userid} · ${m.position} · ${departmentPath(index, m.main_department)}</div></span></a></li>`
}

function groupByDepartment(index: OrgIndex, members: Member[], demoFirst: boolean): [string, Member[]][] {
  const groups = new Map<string, Member[]>()
  for (const m of members) {
    const title = demoFirst && demoIds.has(m.userid) ? '演示账号' : departmentPath(index, m.main_department)
    const list = groups.get(title) ?? []
    list.push(m)
    groups.set(title, list)
  }
  return [...groups]
}
