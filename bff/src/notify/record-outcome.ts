import type { Queryable } from '../db'
import { clearNotifyProblem, setNotifyProblem } from '../directory/member-store'
import { markFailed, markSent, reschedule, spendResponseCode, type OutboxRow } from './outbox-store'
import type { Outcome } from './outcome'

export interface RecordContext {
  now: Date
  maxAttempts: number
  /** When a transiently failed row is tried again. */
  retryAt: (failures: number, err: unknown) => Date
  /** When a row held back by a blocked app is looked at again. */
  blockedUntil: Date
}

/** What became of the row, for the worker's log and pauses. */
export type Settled = 'sent' | 'failed' | 'retry' | 'gave-up' | 'held'

/**
 * Writes one attempt's outcome on its rows (and on their members): one row, or those of a send
 * group that fared alike, whose attempts are counted together. A row leaves `pending` only here.
 */
export async function recordOutcome(q: Queryable, rows: readonly OutboxRow[], o: Outcome, ctx: RecordContext): Promise<Settled> {
  const row = rows[0]!
  const id = rows.map((r) => r.id)
  const attempts = row.attempts + 1
  if ((o.kind === 'sent' || o.kind === 'rejected') && o.spent) await spendResponseCode(q, o.spent.cardId, o.spent.code)
  switch (o.kind) {
    case 'sent':
      await markSent(q, id, { attempts, msgid: o.msgid, invaliduser: o.invaliduser, unlicenseduser: o.unlicenseduser, responseCode: o.responseCode, now: ctx.now })
      await clearNotifyProblem(q, rows.map((r) => r.userid))
      return 'sent'
    case 'undeliverable':
      await markFailed(q, id, { attempts, reason: o.reason, msgid: o.msgid, invaliduser: o.invaliduser, unlicenseduser: o.unlicenseduser })
      for (const r of rows) await setNotifyProblem(q, r.userid, o.problem, ctx.now)
      return 'failed'
    case 'rejected':
      await markFailed(q, id, { attempts, reason: o.reason })
      return 'failed'
    case 'transient':
      if (attempts >= ctx.maxAttempts) {
        await markFailed(q, id, { attempts, reason: `gave up after ${attempts} attempts; last: ${o.reason}` })
        return 'gave-up'
      }
      await reschedule(q, id, { attempts, next: ctx.retryAt(attempts, o.error), reason: o.reason })
      return 'retry'
    case 'blocked':
      // Not an attempt against the row's budget: it would fail every row over a config slip.
      await reschedule(q, id, { attempts: row.attempts, next: ctx.blockedUntil, reason: o.reason })
      return 'held'
    case 'paced':
      await reschedule(q, id, { attempts: row.attempts, next: new Date(o.untilMs), reason: null })
      return 'held'
    case 'waiting':
      await reschedule(q, id, { attempts: row.attempts, next: new Date(o.untilMs), reason: o.reason })
      return 'held'
  }
}
