import type { EntryContext } from '@portal/shared'
import type { Queryable } from '../db'
import type { PrincipalCache } from './principal-cache'
import { randomId, sha256 } from './tokens'

export interface SessionPolicy {
  idleMs: number
  absoluteMs: number
}

export interface SessionRow {
  userid: string
  corpId: string
  createdAt: Date
  idleExpiresAt: Date
  absoluteExpiresAt: Date
}

/** Sliding the idle expiry costs a write; once a minute per session is plenty. */
export const TOUCH_EVERY_MS = 60_000

export async function createSession(
  db: Queryable,
  policy: SessionPolicy,
  i: { userid: string; corpId: string; entryContext: EntryContext; userAgent: string; now: number },
): Promise<{ id: string; row: SessionRow }> {
  const id = randomId(32)
  const row: SessionRow = {
    userid: i.userid,
    corpId: i.corpId,
    createdAt: new Date(i.now),
    idleExpiresAt: new Date(i.now + policy.idleMs),
    absoluteExpiresAt: new Date(i.now + policy.absoluteMs),
  }
  await db.query(
    `insert into sessions (id_hash, userid, corp_id, entry_context, user_agent, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
     values ($1, $2, $3, $4, $5, $6, $6, $7, $8)`,
    [sha256(id), i.userid, i.corpId, i.entryContext, i.userAgent.slice(0, 512), row.createdAt, row.idleExpiresAt, row.absoluteExpiresAt],
  )
  return { id, row }
}

/** The live session for a cookie value, sliding its idle expiry; null when unknown, revoked or expired. */
export async function loadSession(db: Queryable, policy: SessionPolicy, id: string, now: number): Promise<SessionRow | null> {
  const rows = await db.query<{
    userid: string
    corp_id: string
    created_at: Date
    last_seen_at: Date
    idle_expires_at: Date
    absolute_expires_at: Date
  }>(
    `select userid, corp_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at
       from sessions where id_hash = $1 and revoked_at is null`,
    [sha256(id)],
  )
  const r = rows[0]
  if (!r) return null
  const idle = new Date(r.idle_expires_at).getTime()
  const absolute = new Date(r.absolute_expires_at).getTime()
  if (now >= idle || now >= absolute) return null
  let idleExpiresAt = new Date(idle)
  if (now - new Date(r.last_seen_at).getTime() >= TOUCH_EVERY_MS) {
    idleExpiresAt = new Date(Math.min(now + policy.idleMs, absolute))
    await db.query('update sessions set last_seen_at = $2, idle_expires_at = $3 where id_hash = $1', [sha256(id), new Date(now), idleExpiresAt])
  }
  return {
    userid: r.userid,
    corpId: r.corp_id,
    createdAt: new Date(r.created_at),
    idleExpiresAt,
    absoluteExpiresAt: new Date(absolute),
  }
}

export async function revokeSession(db: Queryable, id: string, reason: string, now: number): Promise<void> {
  await db.query('update sessions set revoked_at = $2, revoked_reason = $3 where id_hash = $1 and revoked_at is null', [sha256(id), new Date(now), reason])
}

/**
 * Ends every session of members who are no longer active, here and in this instance's principal
 * cache (which would otherwise let them in for up to its TTL), in one statement however many
 * (a sync or a batch of contact changes). Returns how many were revoked.
 */
export async function endMembersSessions(d: { db: Queryable; principals: PrincipalCache; now: () => number }, userids: string[]): Promise<number> {
  if (!userids.length) return 0
  d.principals.forgetMembers(userids)
  const rows = await d.db.query('update sessions set revoked_at = $2, revoked_reason = $3 where userid = any($1) and revoked_at is null returning 1', [userids, new Date(d.now()), 'member_inactive'])
  return rows.length
}
