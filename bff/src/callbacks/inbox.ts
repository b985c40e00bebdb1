import { createHash } from 'node:crypto'
import type { Queryable } from '../db'
import type { CallbackMessage } from '../wecom/callback-xml'

// The `callback_events` table (migration 002): received callbacks, applied later by the worker.

export interface InboxEvent {
  hash: string
  msg: CallbackMessage
  /** Failed attempts so far. */
  attempts: number
}

/** WeCom re-sends the same plaintext (with fresh random bytes and ciphertext) when it retries. */
export function callbackHash(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex')
}

/** True when new; false when this exact callback was already received (a WeCom retry). */
export async function enqueueCallback(db: Queryable, hash: string, msg: CallbackMessage): Promise<boolean> {
  // received_at is the queue order, so it must grow strictly: clock_timestamp() (not the
  // transaction's now()), nudged past the newest pending row because PGlite's clock only has
  // millisecond resolution. The partial index keeps that max() cheap.
  const rows = await db.query(
    `insert into callback_events (hash, received_at, msg_type, event, change_type, payload)
     select $1, greatest(clock_timestamp(), (select max(received_at) from callback_events where applied_at is null) + interval '1 microsecond'),
            $2, $3, $4, $5::jsonb
     on conflict (hash) do nothing
     returning hash`,
    [hash, msg.msgType, msg.event ?? null, msg.changeType ?? null, JSON.stringify(msg)],
  )
  return rows.length > 0
}

/**
 * The oldest event still to apply. `lock` adds FOR UPDATE, for callers that hold a transaction
 * open while they apply it.
 */
export async function nextPending(db: Queryable, maxAttempts: number, lock: boolean): Promise<InboxEvent | undefined> {
  const rows = await db.query<{ hash: string; payload: CallbackMessage; attempts: number }>(
    `select hash, payload, attempts from callback_events
     where applied_at is null and attempts < $1
     order by received_at, hash
     limit 1${lock ? ' for update' : ''}`,
    [maxAttempts],
  )
  const row = rows[0]
  return row && { hash: row.hash, msg: row.payload, attempts: row.attempts }
}

/** Done; `note` says why nothing ran (no handler registered). */
export async function markApplied(db: Queryable, hash: string, note: string | null): Promise<void> {
  await db.query('update callback_events set applied_at = now(), last_error = $2 where hash = $1', [hash, note])
}

/** Resolves to the number of failed attempts now recorded. */
export async function markFailed(db: Queryable, hash: string, error: string): Promise<number> {
  const rows = await db.query<{ attempts: number }>(
    'update callback_events set attempts = attempts + 1, last_error = $2 where hash = $1 returning attempts',
    [hash, error.slice(0, 2000)],
  )
  return rows[0]?.attempts ?? 0
}
