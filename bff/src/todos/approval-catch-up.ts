import { randomUUID } from 'node:crypto'
import type { Db } from '../db'
import type { Logger } from '../log'
import type { ApiLimiter } from '../rate/api-limiter'
import { isTransient, type WeComClient } from '../wecom'

const DAY = 86_400_000
/** getapprovalinfo accepts at most this span per call (31 days is [M] in our reference; stay under it). */
const WINDOW = 30 * DAY
/** Open approvals re-read per run, taken in turn by sp_no (see catchUp). */
export const OPEN_PER_RUN = 500
/** A run's claim, renewed at a quarter of it while the run goes on; a crashed run's claim lapses after this. */
const LEASE_MS = 2 * 60_000

export interface CatchUpNeeds {
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  apiLimiter: ApiLimiter
  /** Re-reads one approval and applies it (approval-sync.ts). */
  applyApproval: (spNo: string) => Promise<void>
  /** Open approvals re-read per run; OPEN_PER_RUN unless a test says otherwise. */
  openPerRun?: number
}

/** What a run did: approvals re-read (listed, open), those that failed; or `busy`, another instance was running one. */
export type CatchUpResult = { listed: number; open: number; failed: number } | 'busy'

/** The run lost its claim (it lapsed while the run was stalled, and another instance took it): it stops. */
class LostLease extends Error {
  constructor() {
    super('the approval catch-up lost its claim to another instance')
    this.name = 'LostLease'
  }
}

/**
 * The scheduled safety net behind the sys_approval_change callbacks (missed while the app was
 * down, or never configured), and the only way a deleted approval is noticed: WeCom sends no
 * event for a deletion.
 *
 * Each run lists the approvals still in progress (sp_status 1) submitted since the last run, in
 * ≤30-day windows, and applies them; where it got to is saved after each window, so a run that
 * fails goes on from there next time. Then it re-reads up to `openPerRun` of the approvals that
 * still have a pending todo here, in sp_no order from where the previous run stopped, so that a
 * corp with thousands open costs each run a bounded number of getapprovaldetail calls and every
 * open approval is still looked at in turn (at 500 a run every 5 minutes, 6,000 an hour). One
 * run at a time: in this process by sharing the run in progress, across instances by a claim in
 * `approval_sync_state` (migration 029). https://developer.work.weixin.qq.com/document/path/91816
 */
export function createCatchUp(d: CatchUpNeeds): () => Promise<CatchUpResult> {
  const openPerRun = d.openPerRun ?? OPEN_PER_RUN
  let running: Promise<CatchUpResult> | undefined

  /** Takes or renews the claim. Its times are the database's, one clock for every instance. */
  async function claim(holder: string): Promise<boolean> {
    const rows = await d.db.query(
      `update approval_sync_state set lease_holder = $1, lease_until = now() + $2 * interval '1 millisecond'
        where id = 1 and (lease_holder = $1 or lease_until is null or lease_until < now()) returning 1`,
      [holder, LEASE_MS],
    )
    return rows.length > 0
  }

  async function run(): Promise<CatchUpResult> {
    const holder = randomUUID()
    if (!(await claim(holder))) return 'busy'
    let renewedAt = d.now()
    const renew = async () => {
      if (d.now() - renewedAt < LEASE_MS / 4) return
      if (!(await claim(holder))) throw new LostLease()
      renewedAt = d.now()
    }
    const done = new Set<string>()
    let failed = 0
    /** Applies one; a failure that will not pass by itself (say, an approval the app may not read) is logged and skipped. */
    const apply = async (spNo: string, transientStops: boolean) => {
      await renew()
      done.add(spNo)
      try {
        await d.applyApproval(spNo)
      } catch (e) {
        if (transientStops && isTransient(e)) throw e
        failed++
        d.log.warn('approval catch-up: could not apply an approval', { spNo, err: e })
      }
    }
    try {
      const [state] = await d.db.query<{ scanned_until: Date | null; open_cursor: string }>('select scanned_until, open_cursor from approval_sync_state where id = 1')
      const end = d.now()
      // A little overlap: an approval submitted just before the last run's end may be listed only now.
      let from = state?.scanned_until ? new Date(state.scanned_until).getTime() - 10 * 60_000 : end - WINDOW
      while (from < end) {
        const to = Math.min(end, from + WINDOW)
        // Transient failures (WeCom busy, the network) stop the run before this window is saved: the next run lists it again.
        for (const spNo of await listInProgress(from, to)) if (!done.has(spNo)) await apply(spNo, true)
        await d.db.query('update approval_sync_state set scanned_until = $1 where id = 1', [new Date(to)])
        from = to
      }
      const listed = done.size
      const cursor = state?.open_cursor ?? ''
      const open = await d.db.query<{ origin: string }>(
        "select distinct origin from todos where source = 'approval' and status = 'pending' and origin > $1 order by origin limit $2",
        [cursor, openPerRun],
      )
      // Failures here are retried when the turn comes round again.
      for (const { origin } of open) if (!done.has(origin)) await apply(origin, false)
      const next = open.length < openPerRun ? '' : open[open.length - 1]!.origin
      await d.db.query('update approval_sync_state set open_cursor = $1 where id = 1', [next])
      return { listed, open: done.size - listed, failed }
    } finally {
      await d.db.query('update approval_sync_state set lease_until = null where id = 1 and lease_holder = $1', [holder]).catch(() => undefined)
    }
  }

  /** The sp_no of approvals submitted in [from, to] that are still in progress, every page. */
  async function listInProgress(from: number, to: number): Promise<string[]> {
    const spNos: string[] = []
    let cursor = ''
    do {
      await d.apiLimiter.take('/cgi-bin/oa/getapprovalinfo')
      const r = await d.wecom.post<{ sp_no_list?: string[]; new_next_cursor?: string }>('/cgi-bin/oa/getapprovalinfo', {
        starttime: String(Math.floor(from / 1000)),
        endtime: String(Math.floor(to / 1000)),
        new_cursor: cursor,
        size: 100,
        // Decided ones need no todo; those that have one here are re-read as open approvals.
        filters: [{ key: 'sp_status', value: '1' }],
      })
      for (const n of r.sp_no_list ?? []) spNos.push(String(n))
      cursor = r.new_next_cursor ?? ''
    } while (cursor)
    return spNos
  }

  return () => (running ??= run().finally(() => (running = undefined)))
}
