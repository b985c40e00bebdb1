import type { Queryable } from '../db'
import { PARK_AFTER_ATTEMPTS } from '../callbacks/inbox'

/** A card's response_code is single use and lives 72 h (https://developer.work.weixin.qq.com/document/path/94888). */
const RESPONSE_CODE_MS = 72 * 3_600_000
/** The latest sync runs stay whatever their age: the console lists them and the failures-in-a-row gauge counts back 20. */
const KEEP_LATEST_RUNS = 20

export interface PruneWindow {
  /** Rows whose use ended before this go. */
  cutoff: Date
  now: Date
  /** At most this many rows per statement (each statement is a short transaction of its own). */
  limit: number
}

/**
 * Which rows of `table` may go: `where` ($1 the cutoff, then `params`), taken in `order` (found by
 * index), `key` naming each row.
 */
export interface RetentionRule {
  table: string
  key: string
  where: string
  order: string
  params?: (w: PruneWindow) => unknown[]
  /**
   * Taken in the order of `key` (an integer): each batch of a run starts after the last row the
   * one before deleted. The rows a rule keeps are then walked past once a run, not once a batch
   * (100,000 outbox rows kept among 100,000 to delete had been read again by each of 101 batches;
   * README, Retention).
   */
  byKey?: boolean
}

/**
 * One batch of `rule`: at most `w.limit` rows, oldest first, in one statement (for a `byKey` rule,
 * those after `after`); returns the rows deleted and, for a `byKey` rule, the last one's key.
 */
export async function pruneBatch(q: Queryable, rule: RetentionRule, w: PruneWindow, after?: string): Promise<{ n: number; last?: string }> {
  const params = [w.cutoff, ...(rule.params?.(w) ?? [])]
  const from = rule.byKey && after !== undefined ? ` and o.${rule.key} > $${params.push(after)}` : ''
  const sql = `with d as (delete from ${rule.table} where ${rule.key} in (
      select ${rule.key} from ${rule.table} o where ${rule.where}${from} order by ${rule.order} limit $${params.push(w.limit)}) returning ${rule.key} as k)
    select count(*)::int as n${rule.byKey ? ', max(k)::text as last' : ''} from d`
  const [row] = await q.query<{ n: number; last?: string | null }>(sql, params)
  return { n: Number(row?.n ?? 0), ...(row?.last ? { last: row.last } : {}) }
}

/**
 * Every table that grows with use and holds nothing needed once its rows are old. Kept whatever
 * their age: members, departments and todos (the directory and people's own history), the admin
 * audit trail, settings. Login states and rate buckets prune themselves as they are written.
 */
export const RETENTION_RULES: RetentionRule[] = [
  {
    // Ended sessions. Judged by the absolute expiry, which never moves: a session that ended
    // sooner (idle, revoked, signed out) goes at most SESSION_MAX_AGE later.
    table: 'sessions',
    key: 'id_hash',
    where: 'o.absolute_expires_at < $1',
    order: 'o.absolute_expires_at',
  },
  {
    // Applied callbacks. WeCom retries within minutes, so the dedupe by hash needs no old rows.
    table: 'callback_events',
    key: 'hash',
    where: 'o.applied_at is not null and o.received_at < $1',
    order: 'o.received_at',
  },
  {
    // Parked callbacks (given up after repeated failures); one still to be applied or retried stays.
    table: 'callback_events',
    key: 'hash',
    where: 'o.applied_at is null and o.attempts >= $2 and o.received_at < $1',
    order: 'o.received_at',
    params: () => [PARK_AFTER_ATTEMPTS],
  },
  {
    // Messages sent, failed or suppressed. Kept: anything pending; a card whose code a tap renewed
    // in the last 72 h; a card about a todo still pending (a tap on it, or closing the todo, may
    // still update it); an update while its card is kept (a card is updated once). Each check is
    // a NOT EXISTS of its own, which the planner runs as an anti-join by primary key; inside an
    // OR (`card_of is null or not exists …`) it had become one scan of every pending todo and of
    // the whole outbox per statement (70 ms against 3.6 ms at 100,000 each).
    table: 'outbox',
    key: 'id',
    where: `o.created_at < $1 and o.status <> 'pending'
      and (o.response_code_at is null or o.response_code_at < $2)
      and not exists (select 1 from outbox u where u.card_of = o.id and u.status = 'pending')
      and not exists (select 1 from todos t where o.task_id is not null and o.ref_kind = 'todo' and t.id = o.ref_id and t.status = 'pending')
      and not exists (select 1 from outbox c where c.id = o.card_of)`,
    order: 'o.id',
    byKey: true,
    params: (w) => [new Date(w.now.getTime() - RESPONSE_CODE_MS)],
  },
  {
    // Taps on cards: recorded once each so that a repeated callback is applied once.
    table: 'card_events',
    key: 'id',
    where: 'o.at < $1',
    order: 'o.id',
    byKey: true,
  },
  {
    // Sync history. Kept: the latest runs, one still running, and the latest that succeeded (it
    // tells that the directory holds a real copy of the corp).
    table: 'sync_runs',
    key: 'id',
    where: `o.started_at < $1 and o.status <> 'running'
      and o.id < coalesce((select min(id) from (select id from sync_runs order by id desc limit ${KEEP_LATEST_RUNS}) latest), 0)
      and o.id <> coalesce((select max(id) from sync_runs where status = 'succeeded'), 0)`,
    order: 'o.id',
    byKey: true,
  },
]
