import type { Queryable } from '../db'
import type { AppMessage } from '../wecom/messages'
import type { CardUpdateMessage } from './card-updates'

// The `outbox` table (migration 004) as the sender sees it. Every write is guarded by
// `status = 'pending'`, so a row that is already settled is never settled again.

export interface OutboxRow {
  /** bigserial, as text (node-postgres returns int8 as a string anyway). */
  id: string
  userid: string
  /** 'send': message/send of `message`; 'update': message/update_template_card of the card row `cardOf`. */
  kind: 'send' | 'update'
  cardOf: string | null
  message: AppMessage | CardUpdateMessage
  /** Sends tried so far. */
  attempts: number
}

/** The card an update row changes, as its sending row holds it. */
export interface CardRow {
  status: string
  responseCode: string | null
  responseCodeAt: Date | null
}

/**
 * The oldest due pending rows, at most `limit`. `lock` (PostgreSQL, inside the caller's
 * transaction) locks them and skips rows another instance has locked, so two instances never
 * hold the same row.
 */
export async function claimDue(q: Queryable, o: { now: Date; limit: number; lock: boolean }): Promise<OutboxRow[]> {
  return q.query<OutboxRow>(
    `select id::text as id, userid, kind, card_of::text as "cardOf", message, attempts from outbox
     where status = 'pending' and next_attempt_at <= $1
     order by next_attempt_at, id
     limit $2${o.lock ? ' for update skip locked' : ''}`,
    [o.now, o.limit],
  )
}

const ids = (list: readonly string[]) => (list.length ? list.join('|') : null)

export async function markSent(
  q: Queryable,
  id: string,
  r: { attempts: number; msgid: string | null; invaliduser: readonly string[]; unlicenseduser: readonly string[]; responseCode?: string | null; now: Date },
): Promise<void> {
  await q.query(
    `update outbox set status = 'sent', attempts = $2, sent_at = $3, msgid = $4, invaliduser = $5, unlicenseduser = $6, last_error = null,
            response_code = $7::text, response_code_at = case when $7::text is null then null else $3::timestamptz end
     where id = $1 and status = 'pending'`,
    [id, r.attempts, r.now, r.msgid, ids(r.invaliduser), ids(r.unlicenseduser), r.responseCode ?? null],
  )
}

export async function readCard(q: Queryable, id: string): Promise<CardRow | null> {
  const [row] = await q.query<{ status: string; response_code: string | null; response_code_at: Date | null }>(
    'select status, response_code, response_code_at from outbox where id = $1',
    [id],
  )
  return row ? { status: row.status, responseCode: row.response_code, responseCodeAt: row.response_code_at ? new Date(row.response_code_at) : null } : null
}

/** A response_code is single use: once an update was tried with it (or found it invalid), it is gone. */
export async function spendResponseCode(q: Queryable, cardId: string, code: string): Promise<void> {
  await q.query('update outbox set response_code = null where id = $1 and response_code = $2', [cardId, code])
}

/** Settled for good: `reason` says why it was not (or not visibly) delivered. */
export async function markFailed(
  q: Queryable,
  id: string,
  r: { attempts: number; reason: string; msgid?: string | null; invaliduser?: readonly string[]; unlicenseduser?: readonly string[] },
): Promise<void> {
  await q.query(
    `update outbox set status = 'failed', attempts = $2, last_error = $3, msgid = $4, invaliduser = $5, unlicenseduser = $6
     where id = $1 and status = 'pending'`,
    [id, r.attempts, clip(r.reason), r.msgid ?? null, ids(r.invaliduser ?? []), ids(r.unlicenseduser ?? [])],
  )
}

/** Still pending, tried again at `next`. `attempts` is what to record (unchanged when the row is not to blame). */
export async function reschedule(q: Queryable, id: string, r: { attempts: number; next: Date; reason: string | null }): Promise<void> {
  await q.query(
    `update outbox set attempts = $2, next_attempt_at = $3, last_error = coalesce($4, last_error)
     where id = $1 and status = 'pending'`,
    [id, r.attempts, r.next, r.reason === null ? null : clip(r.reason)],
  )
}

/**
 * MESSAGE_ENABLE=false: due rows are kept, marked suppressed, never sent. Skips rows another
 * instance holds. Returns how many.
 */
export async function suppressDue(q: Queryable, o: { now: Date; limit: number }): Promise<number> {
  const rows = await q.query(
    `update outbox set status = 'suppressed', last_error = 'MESSAGE_ENABLE=false: kept, not sent'
     where id in (select id from outbox where status = 'pending' and next_attempt_at <= $1
                  order by next_attempt_at, id limit $2 for update skip locked)
     returning 1`,
    [o.now, o.limit],
  )
  return rows.length
}

function clip(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text
}
