import type { Queryable } from '../db'
import { MAX_TOUSER, type AppMessage } from '../wecom/messages'
import type { CardUpdateMessage } from './card-updates'
import type { Notification, OutboxRef } from './enqueue'

// The `outbox` table (migrations 004, 018, 024, 031): all of its SQL is here; other features call
// these functions. The sender's writes are guarded by `status = 'pending'`, so a row that is
// already settled is never settled again.

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
 * The oldest due pending rows sent alone (not those of a send group: claimGroup), at most
 * `limit`. `lock` (PostgreSQL, inside the caller's transaction) locks them and skips rows another
 * instance has locked, so two instances never hold the same row.
 */
export async function claimDue(q: Queryable, o: { now: Date; limit: number; lock: boolean }): Promise<OutboxRow[]> {
  return q.query<OutboxRow>(
    `select id::text as id, userid, kind, card_of::text as "cardOf", message, attempts from outbox
     where status = 'pending' and next_attempt_at <= $1 and send_group is null
     order by next_attempt_at, id
     limit $2${o.lock ? ' for update skip locked' : ''}`,
    [o.now, o.limit],
  )
}

/** Due groups a claim tries while other instances hold the first ones. */
const GROUP_LOCK_TRIES = 4

/**
 * Every pending row of the send group due first, in id order (at most the members one
 * message/send may name): they go out as one call. `lock` (PostgreSQL, inside the caller's
 * transaction): the group is claimed with an advisory lock on its name, tried on up to four due
 * groups, so two instances never send parts of one group (which would change the call's body,
 * and with it WeCom's duplicate check, on a resend).
 */
export async function claimGroup(q: Queryable, o: { now: Date; lock: boolean }): Promise<OutboxRow[]> {
  const tried: string[] = []
  for (let i = 0; i < GROUP_LOCK_TRIES; i++) {
    const [due] = await q.query<{ g: string }>(
      `select send_group as g from outbox
        where status = 'pending' and send_group is not null and next_attempt_at <= $1 and send_group <> all($2::text[])
        order by next_attempt_at, id limit 1`,
      [o.now, tried],
    )
    if (!due) return []
    if (o.lock) {
      const [got] = await q.query<{ ok: boolean }>("select pg_try_advisory_xact_lock(hashtext('outbox:' || $1), hashtext(current_schema())) as ok", [due.g])
      if (!got?.ok) {
        tried.push(due.g)
        continue
      }
    }
    return q.query<OutboxRow>(
      `select id::text as id, userid, kind, card_of::text as "cardOf", message, attempts from outbox
        where send_group = $1 and status = 'pending' order by id limit ${MAX_TOUSER}${o.lock ? ' for update' : ''}`,
      [due.g],
    )
  }
  return []
}

const ids = (list: readonly string[]) => (list.length ? list.join('|') : null)

export async function markSent(
  q: Queryable,
  id: readonly string[],
  r: { attempts: number; msgid: string | null; invaliduser: readonly string[]; unlicenseduser: readonly string[]; responseCode?: string | null; now: Date },
): Promise<void> {
  await q.query(
    `update outbox set status = 'sent', attempts = $2, sent_at = $3, msgid = $4, invaliduser = $5, unlicenseduser = $6, last_error = null,
            response_code = $7::text, response_code_at = case when $7::text is null then null else $3::timestamptz end
     where id = any($1::bigint[]) and status = 'pending'`,
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
  id: readonly string[],
  r: { attempts: number; reason: string; msgid?: string | null; invaliduser?: readonly string[]; unlicenseduser?: readonly string[] },
): Promise<void> {
  await q.query(
    `update outbox set status = 'failed', attempts = $2, last_error = $3, msgid = $4, invaliduser = $5, unlicenseduser = $6
     where id = any($1::bigint[]) and status = 'pending'`,
    [id, r.attempts, clip(r.reason), r.msgid ?? null, ids(r.invaliduser ?? []), ids(r.unlicenseduser ?? [])],
  )
}

/** Still pending, tried again at `next`. `attempts` is what to record (unchanged when the row is not to blame). */
export async function reschedule(q: Queryable, id: readonly string[], r: { attempts: number; next: Date; reason: string | null }): Promise<void> {
  await q.query(
    `update outbox set attempts = $2, next_attempt_at = $3, last_error = coalesce($4, last_error)
     where id = any($1::bigint[]) and status = 'pending'`,
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

/** The configuration changed: rows its errors pushed back are due at `at` (one earlier retry at most). */
export async function retryHeldRows(q: Queryable, at: Date): Promise<void> {
  await q.query("update outbox set next_attempt_at = $1 where status = 'pending' and last_error is not null and next_attempt_at > $1", [at])
}

/**
 * Queues notifications in one statement (a message to many members), inside the caller's
 * transaction so that they exist exactly when the change that causes them does. A `dedupeKey`
 * already queued is skipped; returns how many were new.
 */
export async function enqueueNotifications(q: Queryable, now: Date, list: readonly Notification[]): Promise<number> {
  if (!list.length) return 0
  const rows = await q.query(
    `insert into outbox (dedupe_key, userid, ref_kind, ref_id, message, task_id, send_group, next_attempt_at, created_at)
     select n.dedupe_key, n.userid, n.ref_kind, n.ref_id, n.message::jsonb, n.message::jsonb -> 'template_card' ->> 'task_id', n.send_group, $6, $6
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $7::text[]) as n (dedupe_key, userid, ref_kind, ref_id, message, send_group)
     on conflict (dedupe_key) do nothing returning 1`,
    [
      list.map((n) => n.dedupeKey),
      list.map((n) => n.userid),
      list.map((n) => n.ref?.kind ?? null),
      list.map((n) => n.ref?.id ?? null),
      list.map((n) => JSON.stringify(n.message)),
      now,
      list.map((n) => n.group ?? null),
    ],
  )
  return rows.length
}

/**
 * Inserts an update row (`message`) for every sent card about `ref` that has none yet, to anyone
 * but `exceptUser` when given; returns how many.
 */
export async function insertCardUpdates(q: Queryable, o: { ref: OutboxRef; message: CardUpdateMessage; now: Date; exceptUser?: string }): Promise<number> {
  // Reads the cards without locking them: a card being sent right now (its row locked by a
  // worker on PostgreSQL) must not hold up the write that closes the todo.
  const rows = await q.query(
    `insert into outbox (dedupe_key, kind, card_of, userid, ref_kind, ref_id, message, next_attempt_at, created_at)
     select 'card:' || o.id || ':update', 'update', o.id, o.userid, o.ref_kind, o.ref_id, $2::jsonb, $3, $3 from outbox o
      where o.ref_kind = $5 and o.ref_id = $1 and o.kind = 'send' and o.task_id is not null
        and ($4::text is null or lower(o.userid) <> lower($4))
        and not exists (select 1 from outbox u where u.card_of = o.id)
     on conflict (dedupe_key) do nothing returning 1`,
    [o.ref.id, JSON.stringify(o.message), o.now, o.exceptUser ?? null, o.ref.kind],
  )
  return rows.length
}

/** The latest card sent with `taskId` to `userid` (any case), and the todo it is about when it is about one. */
export async function cardOfTask(q: Queryable, taskId: string, userid: string): Promise<{ id: string; todoId: string | null } | undefined> {
  const [card] = await q.query<{ id: string; todo_id: string | null }>(
    `select id::text as id, case when ref_kind = 'todo' then ref_id end as todo_id from outbox where task_id = $1 and kind = 'send' and lower(userid) = lower($2) order by outbox.id desc limit 1`,
    [taskId, userid],
  )
  return card ? { id: card.id, todoId: card.todo_id } : undefined
}

/** A tap's fresh response_code replaces the card's, unless the card holds a newer one. */
export async function renewResponseCode(q: Queryable, cardId: string, code: string, at: Date): Promise<void> {
  await q.query('update outbox set response_code = $2, response_code_at = $3 where id = $1 and (response_code_at is null or response_code_at < $3)', [cardId, code, at])
}

/** The card's update, if it failed (no valid code), is pending again at `at`. Returns whether there was one. */
export async function retryFailedCardUpdate(q: Queryable, cardId: string, at: Date): Promise<boolean> {
  const retried = await q.query(
    `update outbox set status = 'pending', next_attempt_at = $2, last_error = null
        where card_of = $1 and kind = 'update' and status = 'failed' returning 1`,
    [cardId, at],
  )
  return retried.length > 0
}

/** Pending rows (all instances) and when the oldest was queued. */
export async function pendingOutbox(q: Queryable): Promise<{ count: number; oldest: Date | null }> {
  const [row] = await q.query<{ n: string | number; oldest: Date | string | null }>("select count(*) as n, min(created_at) as oldest from outbox where status = 'pending'")
  return { count: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null }
}

/**
 * The messages queued since `since`: how many were sent and how many failed (card updates left
 * out of the failures); how many wait, whatever their age; and what last held up or failed one.
 * Read by index (created_at, and the pending rows'), never by a scan of every message kept.
 */
export interface OutboxDigest {
  pending: number
  sent: number
  failed: number
  heldError: string | null
  lastFailure: string | null
}

export async function outboxDigest(q: Queryable, since: Date): Promise<OutboxDigest> {
  const [row] = await q.query<{ pending: string | number; sent: string | number; failed: string | number; held_error: string | null; last_failure: string | null }>(
    `select (select count(*) from outbox where status = 'pending') as pending,
            count(*) filter (where status = 'sent') as sent,
            count(*) filter (where status = 'failed' and kind = 'send') as failed,
            (select last_error from outbox where status = 'pending' and last_error is not null and kind = 'send' order by next_attempt_at desc, id desc limit 1) as held_error,
            (select last_error from outbox where status = 'failed' and created_at >= $1 and kind = 'send' order by created_at desc, id desc limit 1) as last_failure
       from outbox where created_at >= $1`,
    [since],
  )
  return {
    pending: Number(row?.pending ?? 0),
    sent: Number(row?.sent ?? 0),
    failed: Number(row?.failed ?? 0),
    heldError: row?.held_error ?? null,
    lastFailure: row?.last_failure ?? null,
  }
}

function clip(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text
}
