import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import type { Db } from '../db'
import type { Logger } from '../log'
import type { OutboxWorker } from '../notify'
import type { ApiLimiter } from '../rate/api-limiter'
import type { WeComClient } from '../wecom'
import type { TodoLists } from './list-cache'
import { memberNames } from '../directory/member-store'
import { setTodoStatus, todosOfOrigin, upsertTodo } from './store'
import { closedStatus, currentApprovers, type ApprovalInfo } from './approval-view'
import { notifyNewTodo, todoRef } from './notify-todo'
import { queueCardUpdates } from '../notify/card-updates'
import { formatCorpTime } from '../time/corp-time'

const DAY = 86_400_000
/** getapprovalinfo accepts at most this span per call (31 days is [M] in our reference; stay under it). */
const WINDOW = 30 * DAY

export interface ApprovalSyncNeeds {
  config: Config
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  outbox: Pick<OutboxWorker, 'wake'>
  apiLimiter: ApiLimiter
  todoLists: Pick<TodoLists, 'changed'>
  /** The time zone an approval's submission time is written in, and its card's settings (console settings). */
  settings: Pick<RuntimeSettings, 'get'>
}

/**
 * Keeps approval todos in step with WeCom: one pending todo per current approver of each pending
 * approval; todos of people who no longer need to act are closed. Driven by sys_approval_change
 * callbacks and by a scheduled catch-up that rescans recent approvals and every open one.
 */
export function createApprovalSync(d: ApprovalSyncNeeds) {
  const link = (spNo: string) =>
    (d.config.approvalLinkTemplate ?? `${d.config.mode === 'sandbox' ? d.config.sandbox.url : ''}/sandbox/approvals/{sp_no}`).replace('{sp_no}', encodeURIComponent(spNo))

  /** Re-reads one approval and applies it. Idempotent: callbacks may repeat or arrive out of order. */
  async function applyApproval(spNo: string): Promise<void> {
    await d.apiLimiter.take('/cgi-bin/oa/getapprovaldetail')
    const { info } = await d.wecom.post<{ info: ApprovalInfo }>('/cgi-bin/oa/getapprovaldetail', { sp_no: spNo })
    const now = new Date(d.now())
    const approvers = currentApprovers(info)
    const names = await memberNames(d.db, [info.applyer.userid])
    const applicant = names.get(info.applyer.userid.toLowerCase()) ?? info.applyer.userid
    const submitted = formatCorpTime(new Date(info.apply_time * 1000), d.settings.get('timeZone'))
    let queued = false
    // Members whose lists this changes: told after the commit (or its failure, which may have committed).
    const touched = new Set<string>()
    await d.db.transaction(async (tx) => {
      for (const approver of approvers) {
        const { todo, created } = await upsertTodo(
          tx,
          {
            assignee: approver,
            source: 'approval',
            origin: info.sp_no,
            ref: approver.toLowerCase(),
            title: `${applicant}的${info.sp_name}`,
            summary: `${info.sp_name} · ${applicant} 提交于 ${submitted}`,
            link: link(info.sp_no),
            status: 'pending',
            requester: info.applyer.userid,
          },
          now,
        )
        touched.add(todo.assignee)
        if (created) queued = (await notifyNewTodo(tx, d, todo, applicant, now)) || queued
      }
      const current = new Set(approvers.map((a) => a.toLowerCase()))
      for (const t of await todosOfOrigin(tx, 'approval', info.sp_no)) {
        if (t.status !== 'pending' || current.has(t.assignee.toLowerCase())) continue
        touched.add(t.assignee)
        const status = closedStatus(info, t.assignee)
        await setTodoStatus(tx, t.id, status, now)
        queued = (await queueCardUpdates(tx, { ref: todoRef(t.id), state: status, now })) > 0 || queued
      }
    }).finally(() => d.todoLists.changed(touched))
    if (queued) d.outbox.wake()
  }

  /** Lists approvals submitted since the last scan (in ≤30-day windows) and re-checks every open one. */
  async function catchUp(): Promise<{ scanned: number }> {
    const [state] = await d.db.query<{ scanned_until: Date | null }>('select scanned_until from approval_sync_state where id = 1')
    const end = d.now()
    let from = state?.scanned_until ? new Date(state.scanned_until).getTime() - 10 * 60_000 : end - WINDOW
    const spNos = new Set<string>()
    while (from < end) {
      const to = Math.min(end, from + WINDOW)
      let cursor = ''
      do {
        await d.apiLimiter.take('/cgi-bin/oa/getapprovalinfo')
        const r = await d.wecom.post<{ sp_no_list?: string[]; new_next_cursor?: string }>('/cgi-bin/oa/getapprovalinfo', {
          starttime: String(Math.floor(from / 1000)),
          endtime: String(Math.floor(to / 1000)),
          new_cursor: cursor,
          size: 100,
        })
        for (const n of r.sp_no_list ?? []) spNos.add(String(n))
        cursor = r.new_next_cursor ?? ''
      } while (cursor)
      from = to
    }
    const open = await d.db.query<{ origin: string }>("select distinct origin from todos where source = 'approval' and status = 'pending'")
    for (const o of open) spNos.add(o.origin)
    for (const spNo of spNos) await applyApproval(spNo)
    await d.db.query('update approval_sync_state set scanned_until = $1 where id = 1', [new Date(end)])
    return { scanned: spNos.size }
  }

  return { applyApproval, catchUp }
}

export type ApprovalSync = ReturnType<typeof createApprovalSync>
