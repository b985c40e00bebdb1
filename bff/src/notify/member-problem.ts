import type { Queryable } from '../db'

/** Why WeCom would not deliver to a member, as message/send reports it (https://developer.work.weixin.qq.com/document/path/90236). */
export type NotifyProblem = 'invaliduser' | 'unlicenseduser'

/** Remembers on the member why the last message did not reach them (shown to admins). */
export async function setNotifyProblem(q: Queryable, userid: string, problem: NotifyProblem, now: Date): Promise<void> {
  await q.query('update members set notify_problem = $2, notify_problem_at = $3 where userid = $1', [userid, problem, now])
}

/** A message reached the member: whatever stood in the way is gone. Writes nothing in the usual case. */
export async function clearNotifyProblem(q: Queryable, userid: string): Promise<void> {
  await q.query('update members set notify_problem = null, notify_problem_at = null where userid = $1 and notify_problem is not null', [userid])
}
