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
import { createCatchUp } from './approval-catch-up'

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
  /** Open approvals the catch-up re-reads per run (OPEN_PER_RUN); tests make it small. */
  openPerRun?: number
}

/**
 * Keeps approval todos in step with WeCom: one pending todo per current approver of each pending
 * approval; todos of people who no longer need to act are closed. Driven by sys_approval_change
 * callbacks and by a scheduled catch-up that lists recent approvals and re-reads the open ones in turn.
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

  /** The scheduled catch-up (approval-catch-up.ts): one run at a time, across instances too. */
  const catchUp = createCatchUp({ ...d, applyApproval })

  return { applyApproval, catchUp }
}

export type ApprovalSync = ReturnType<typeof createApprovalSync>
