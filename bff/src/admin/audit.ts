import type { AuditEntry } from '@portal/shared'
import type { Queryable } from '../db'
import { memberNames } from '../directory/member-store'

export type AuditAction = AuditEntry['action']

/** Records what an admin did; call it inside the transaction of the change itself. */
export async function writeAudit(db: Queryable, e: { actor: string; action: AuditAction; target: string; detail?: string; at: Date }): Promise<void> {
  await db.query('insert into admin_audit (at, actor, action, target, detail) values ($1, $2, $3, $4, $5)', [e.at, e.actor, e.action, e.target, e.detail ?? null])
}

/** Newest first; `before` pages on by id. */
export async function listAudit(db: Queryable, opts: { limit: number; before?: number; actions?: AuditAction[] }): Promise<AuditEntry[]> {
  const rows = await db.query<{ id: string | number; at: Date; actor: string; action: AuditAction; target: string; detail: string | null }>(
    `select id, at, actor, action, target, detail from admin_audit
      where ($1::bigint is null or id < $1) and ($2::text[] is null or action = any($2))
      order by id desc limit $3`,
    [opts.before ?? null, opts.actions ?? null, opts.limit],
  )
  const names = await memberNames(db, [...new Set(rows.map((r) => r.actor))])
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actorName: names.get(r.actor.toLowerCase()) ?? r.actor,
    action: r.action,
    target: r.target,
    ...(r.detail ? { detail: r.detail } : {}),
  }))
}
