import type { Hono } from 'hono'
import { callerApp } from '../tickets/caller-app'
import { wecomError, wecomOk } from '../errors'
import type { SandboxState } from '../state'
import { canSeeMember, visibilityFor } from './visibility'

/**
 * The tag read APIs (通讯录管理 → 标签管理):
 * - tag/list (https://developer.work.weixin.qq.com/document/path/90216): "自建应用或通讯同步助手可以获取
 *   所有标签列表" → `{taglist: [{tagid, tagname}]}`.
 * - tag/get?tagid (https://developer.work.weixin.qq.com/document/path/90213): "无限制，但返回列表仅包含
 *   应用可见范围的成员" → `{tagname, userlist: [{userid, name}], partylist: [id]}`. A tagid that is
 *   missing, not a number or unknown answers 40068 ("不合法的标签ID：标签ID未指定，或者指定的标签ID不存在",
 *   https://developer.work.weixin.qq.com/document/path/90313). Quit members (5) are gone from the
 *   directory, so no tag lists them.
 */
export function registerTags(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/tag/list', (c) => wecomOk(c, { taglist: s.settings.tags.map((t) => ({ tagid: t.tagid, tagname: t.tagname })) }))

  app.get('/cgi-bin/tag/get', (c) => {
    const raw = c.req.query('tagid')
    const tag = raw && /^\d{1,10}$/.test(raw) ? s.settings.tags.find((t) => t.tagid === Number(raw)) : undefined
    if (!tag) return wecomError(c, s, 40068)
    const v = visibilityFor(s, callerApp(c, s))
    const userlist = tag.users.flatMap((u) => {
      const m = s.directory.members.get(u)
      return m && m.status !== 5 && canSeeMember(v, m) ? [{ userid: m.userid, name: m.name }] : []
    })
    const partylist = tag.departments.filter((id) => s.directory.departments.has(id))
    return wecomOk(c, { tagname: tag.tagname, userlist, partylist })
  })
}
