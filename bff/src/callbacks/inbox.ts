import { createHash, randomUUID } from 'node:crypto'
import type { Queryable } from '../db'
import { parseMessage, type CallbackMessage } from '../wecom/callback-xml'

// The `callback_events` table (migrations 002, 012, 023): received callbacks, applied later by the worker.

/** Permanent failures after which an event is parked with its error (retention deletes parked ones too). */
export const PARK_AFTER_ATTEMPTS = 5

export interface InboxEvent {
  hash: string
  msg: CallbackMessage
  /** The member or department it is about (callbackSubject). */
  subject?: string
  /** Permanent failures so far (they park the event at maxAttempts). */
  attempts: number
  /** Transient failures so far (WeCom busy, the network, the database away): retried, never parked. */
  retries: number
}

/** A callback as received: its hash, the parsed message, and the decrypted XML that is stored. */
export interface ReceivedCallback {
  hash: string
  msg: CallbackMessage
  plaintext: string
}

/** WeCom re-sends the same plaintext (with fresh random bytes and ciphertext) when it retries. */
export function callbackHash(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex')
}

/**
 * What an event is about, for ordering: the events of one member (or department) are applied in
 * arrival order, those of different ones need not wait for each other. Undefined: no order kept.
 */
export function callbackSubject(msg: Pick<CallbackMessage, 'event' | 'changeType' | 'fields'>): string | undefined {
  if (msg.event?.toLowerCase() !== 'change_contact') return undefined
  const f = msg.fields
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '')
  if (msg.changeType?.endsWith('_user')) return text(f.UserID) ? `user:${text(f.UserID).toLowerCase()}` : undefined
  if (msg.changeType?.endsWith('_party')) return text(f.Id) ? `party:${text(f.Id)}` : undefined
  return undefined
}

/**
 * A field the portal adds to a `change_contact` event it queues itself (see rereadOf): apply it
 * by reading the member or department back from WeCom, whatever else the event says.
 */
export const REREAD_FIELD = 'PortalReread'

/** True when it queued work: new, or a repeat queued as a re-read; false for a repeat of anything else. */
export async function enqueueCallback(db: Queryable, plaintext: string): Promise<boolean> {
  const [queued] = await enqueueCallbacks(db, [{ hash: callbackHash(plaintext), msg: parseMessage(plaintext), plaintext }])
  return queued!
}

/**
 * Stores callbacks in the order given; resolves, per item, whether it queued work. An item whose
 * plaintext is already stored (or came earlier in `items`) is a repeat: dropped, unless it is a
 * `change_contact` event of a member or department, which is queued as a re-read (rereadOf).
 */
export async function enqueueCallbacks(db: Queryable, items: ReceivedCallback[]): Promise<boolean[]> {
  const first = new Map<string, number>()
  items.forEach((c, i) => first.has(c.hash) || first.set(c.hash, i))
  const stored = await insertCallbacks(db, [...first.values()].map((i) => items[i]!))
  const queued = items.map((c, i) => first.get(c.hash) === i && stored.has(c.hash))
  const repeats = items.flatMap((c, i) => (!queued[i] && callbackSubject(c.msg) !== undefined && c.msg.fields[REREAD_FIELD] === undefined ? [i] : []))
  if (repeats.length) {
    const rereads = repeats.map((i) => rereadOf(items[i]!))
    const added = await insertCallbacks(db, rereads)
    repeats.forEach((i, k) => (queued[i] = added.has(rereads[k]!.hash)))
  }
  return queued
}

/**
 * A repeat of a `change_contact` member or department event, as a re-read of it. The same
 * plaintext twice is usually WeCom retrying an event we have (our answer did not reach it), but
 * WeCom stamps events to the second and an event carries the new values, so the same edit made
 * again after another one (position A, then B, then A, within one second) arrives as the same
 * plaintext too, and taking it for a retry would leave B. The two cannot be told apart; a re-read
 * from WeCom is right in both cases. It is queued after everything received before it, so it is
 * applied after the events it may undo. Each repeat is a read of its own (a hash of its own).
 */
function rereadOf(c: ReceivedCallback): ReceivedCallback {
  const plaintext = c.plaintext.replace(/<\/xml>\s*$/, `<${REREAD_FIELD}>1</${REREAD_FIELD}></xml>`)
  return { hash: callbackHash(`${plaintext}\n${randomUUID()}`), msg: { ...c.msg, fields: { ...c.msg.fields, [REREAD_FIELD]: '1' } }, plaintext }
}

/** Per database: the latest received_at this process gave out, in µs since 1970 (text, exact). */
const lastReceived = new WeakMap<Queryable, string>()

/**
 * Stores callbacks (distinct hashes) in one statement, in the order given; resolves to the hashes that were new.
 * received_at is the queue order, so it must grow strictly: clock_timestamp() (not the
 * transaction's now()), nudged past the latest one given out because PGlite's clock only has
 * millisecond resolution, plus a microsecond per row. The latest is remembered per database
 * (looked up once per process: max() over the pending rows cost as much as the insert itself).
 * The message is stored as the XML WeCom sent, in parallel arrays: on PGlite a jsonb payload
 * made the insert twice as slow (measured), and every acknowledgement of a burst waits for it.
 */
async function insertCallbacks(db: Queryable, items: ReceivedCallback[]): Promise<Set<string>> {
  const col = <T>(f: (c: ReceivedCallback) => T) => items.map(f)
  const inserted = await db.query<{ hash: string; us: string }>(
    `insert into callback_events (hash, received_at, msg_type, event, change_type, subject, plaintext)
     select x.hash, b.base + (x.n - 1) * interval '1 microsecond', x.msg_type, x.event, x.change_type, x.subject, x.plaintext
       from (select greatest(clock_timestamp(), coalesce(timestamptz 'epoch' + $1::bigint * interval '1 microsecond',
                    (select max(received_at) from callback_events where applied_at is null)) + interval '1 microsecond') as base) b,
            unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) with ordinality as x(hash, msg_type, event, change_type, subject, plaintext, n)
     on conflict (hash) do nothing
     returning hash, (extract(epoch from received_at) * 1000000)::bigint::text as us`,
    [
      lastReceived.get(db) ?? null,
      col((c) => c.hash),
      col((c) => c.msg.msgType),
      col((c) => c.msg.event ?? null),
      col((c) => c.msg.changeType ?? null),
      col((c) => callbackSubject(c.msg) ?? null),
      col((c) => c.plaintext),
    ],
  )
  let latest = lastReceived.get(db)
  for (const r of inserted) if (latest === undefined || BigInt(r.us) > BigInt(latest)) latest = r.us
  if (latest !== undefined) lastReceived.set(db, latest)
  return new Set(inserted.map((r) => r.hash))
}

/** When this process last received a callback for each database (Date.now()): the worker yields to a burst. */
const arrivals = new WeakMap<Queryable, number>()

export function lastArrival(db: Queryable): number | undefined {
  return arrivals.get(db)
}

/**
 * Group commit for the callback URL: callbacks that arrive together are stored by one statement
 * (one commit), so a burst costs a few writes, not one each. A write waits for the turn of the
 * event loop (setImmediate) so that every request read in this turn joins it; `add` resolves
 * only once its row is committed: only then may WeCom be told 200.
 */
export function createInboxWriter(db: Queryable, maxRows = 1000): { add(c: ReceivedCallback): Promise<boolean> } {
  type Waiting = ReceivedCallback & { resolve: (fresh: boolean) => void; reject: (e: unknown) => void }
  let queue: Waiting[] = []
  let writing = false

  async function flush(): Promise<void> {
    try {
      while (queue.length) {
        const batch = queue.slice(0, maxRows)
        queue = queue.slice(batch.length)
        try {
          const queued = await enqueueCallbacks(db, batch)
          batch.forEach((w, i) => w.resolve(queued[i]!))
        } catch (e) {
          for (const w of batch) w.reject(e)
        }
        // Let the requests that arrived during that write join the next one.
        if (queue.length) await new Promise((r) => setImmediate(r))
      }
    } finally {
      writing = false
    }
  }

  return {
    add(c) {
      arrivals.set(db, Date.now())
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ ...c, resolve, reject })
        if (writing) return
        writing = true
        setImmediate(() => void flush())
      })
    },
  }
}

/**
 * The oldest events that may be applied now, in arrival order: not applied, not given up, not
 * waiting for a retry, and not behind an earlier event of the same subject that is waiting.
 * `lock` adds FOR UPDATE, for callers that hold a transaction open while they apply them.
 */
export async function nextPending(db: Queryable, opts: { maxAttempts: number; limit: number; now: Date; lock: boolean }): Promise<InboxEvent[]> {
  const rows = await db.query<{ hash: string; plaintext: string | null; payload: CallbackMessage | null; attempts: number; retries: number; subject: string | null }>(
    `select e.hash, e.plaintext, e.payload, e.attempts, e.retries, e.subject from callback_events e
      where e.applied_at is null and e.attempts < $1 and (e.retry_at is null or e.retry_at <= $3)
        and (e.subject is null or not exists (
          select 1 from callback_events w
           where w.subject = e.subject and w.applied_at is null and w.attempts < $1 and w.retry_at > $3 and w.received_at < e.received_at))
      order by e.received_at, e.hash
      limit $2${opts.lock ? ' for update of e' : ''}`,
    [opts.maxAttempts, opts.limit, opts.now],
  )
  return rows.map((r) => ({ hash: r.hash, msg: storedMessage(r), attempts: r.attempts, retries: r.retries, ...(r.subject ? { subject: r.subject } : {}) }))
}

/** The message of a stored row: its XML, parsed again (it was checked when received), or an older build's jsonb payload. */
function storedMessage(r: { plaintext: string | null; payload: CallbackMessage | null }): CallbackMessage {
  if (r.plaintext !== null) return parseMessage(r.plaintext, { maxBytes: Number.MAX_SAFE_INTEGER })
  return r.payload!
}

/** When the next event waiting for a retry becomes due (undefined: none is waiting). */
export async function nextRetryAt(db: Queryable, maxAttempts: number, now: Date): Promise<Date | undefined> {
  // Only future ones: an event already due but held behind an earlier one of its subject waits for that one.
  const [row] = await db.query<{ at: Date | null }>('select min(retry_at) as at from callback_events where applied_at is null and attempts < $1 and retry_at > $2', [maxAttempts, now])
  return row?.at ?? undefined
}

/** Done; `note` says why nothing ran (no handler registered). */
export async function markApplied(db: Queryable, done: Array<{ hash: string; note: string | null }>): Promise<void> {
  const plain = done.filter((d) => d.note === null).map((d) => d.hash)
  const noted = done.filter((d) => d.note !== null)
  if (plain.length) await db.query('update callback_events set applied_at = now(), last_error = null, retry_at = null where hash = any($1)', [plain])
  if (noted.length) {
    await db.query('update callback_events e set applied_at = now(), last_error = x.note, retry_at = null from unnest($1::text[], $2::text[]) as x(hash, note) where e.hash = x.hash', [
      noted.map((d) => d.hash),
      noted.map((d) => d.note),
    ])
  }
}

/**
 * Records a failed attempt and when to try again: a permanent failure counts toward parking the
 * event (`attempts`), a transient one only toward its backoff (`retries`).
 */
export async function markFailed(db: Queryable, hash: string, failure: { error: string; retryAt: Date; transient: boolean }): Promise<void> {
  const counter = failure.transient ? 'retries' : 'attempts'
  await db.query(`update callback_events set ${counter} = ${counter} + 1, last_error = $2, retry_at = $3 where hash = $1`, [hash, failure.error.slice(0, 2000), failure.retryAt])
}

/** Parked events (given up), for the doctor: how many, and when the latest arrived, what it was, why it failed. */
export async function parkedCallbacks(db: Queryable, parkAfter = PARK_AFTER_ATTEMPTS): Promise<{ count: number; latest?: { receivedAt: Date; what: string; error: string } }> {
  const [row] = await db.query<{ n: string | number; received_at: Date | string; msg_type: string; event: string | null; change_type: string | null; last_error: string | null }>(
    `select count(*) over () as n, received_at, msg_type, event, change_type, last_error from callback_events
      where applied_at is null and attempts >= $1 order by received_at desc limit 1`,
    [parkAfter],
  )
  if (!row) return { count: 0 }
  return { count: Number(row.n), latest: { receivedAt: new Date(row.received_at), what: [row.event ?? row.msg_type, row.change_type].filter(Boolean).join('/'), error: row.last_error ?? '' } }
}

/**
 * Events received but not applied yet (all instances) and when the oldest arrived, apart from
 * the parked ones (given up: they wait for nothing, so they are no lag), which are counted alone.
 */
export async function pendingCallbacks(db: Queryable, parkAfter = PARK_AFTER_ATTEMPTS): Promise<{ count: number; oldest: Date | null; parked: number }> {
  const [row] = await db.query<{ n: string | number; oldest: Date | string | null; parked: string | number }>(
    `select count(*) filter (where attempts < $1) as n, min(received_at) filter (where attempts < $1) as oldest, count(*) filter (where attempts >= $1) as parked
       from callback_events where applied_at is null`,
    [parkAfter],
  )
  return { count: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null, parked: Number(row?.parked ?? 0) }
}
