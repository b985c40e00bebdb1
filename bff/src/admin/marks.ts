import { ipFromErrmsg } from '@portal/shared'
import type { Db } from '../db'
import type { Logger } from '../log'
import type { WeComError } from '../wecom'

/**
 * Facts the doctor cannot ask WeCom for but the app observes on the way: the IP WeCom saw in a
 * 60020, callback verifications and failures, OAuth sign-ins and 50001s. Kept in the database
 * so every instance's observations count.
 */
export type MarkName = 'ip_rejected' | 'callback_verified' | 'callback_accepted' | 'callback_failed' | 'oauth_ok' | 'oauth_domain_rejected'
export interface Mark {
  at: Date
  detail: Record<string, unknown>
}
export interface HealthMarks {
  /** Fire and forget; repeated marks of one name are written at most every few seconds. */
  record(name: MarkName, detail?: Record<string, unknown>): void
  read(): Promise<Map<MarkName, Mark>>
}

/** One write per name per this long and process: a flood of callbacks or 60020s costs one row update. */
export const MARK_WRITE_EVERY_MS = 5_000

interface Slot {
  lastWriteAt: number
  /** The newest mark not written yet (a later one replaces it: only the last counts). */
  pending?: { at: number; detail: Record<string, unknown> }
  timer?: ReturnType<typeof setTimeout>
  writing?: Promise<void>
}

/**
 * Health marks in `health_marks` (one row per name: the latest). A mark inside the write window
 * of its name is held and written when the window ends, so the newest observation always lands.
 * Rows only move forward in time, whichever instance writes last.
 */
export function createHealthMarks(d: { db: Db; now: () => number; log: Logger; writeEveryMs?: number }): HealthMarks {
  const every = d.writeEveryMs ?? MARK_WRITE_EVERY_MS
  const slots = new Map<MarkName, Slot>()

  function flush(name: MarkName, slot: Slot): Promise<void> {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = undefined
    const mark = slot.pending
    if (!mark) return slot.writing ?? Promise.resolve()
    slot.pending = undefined
    slot.lastWriteAt = d.now()
    const previous = slot.writing ?? Promise.resolve()
    const write = previous
      .then(() =>
        d.db.query(
          `insert into health_marks (name, at, detail) values ($1, $2, $3)
           on conflict (name) do update set at = excluded.at, detail = excluded.detail where health_marks.at <= excluded.at`,
          [name, new Date(mark.at), JSON.stringify(mark.detail)],
        ),
      )
      .then(
        () => undefined,
        (e: unknown) => d.log.warn('could not record a health mark', { name, err: e }),
      )
      .finally(() => {
        if (slot.writing === write) slot.writing = undefined
      })
    slot.writing = write
    return write
  }

  return {
    record(name, detail = {}) {
      try {
        const slot = slots.get(name) ?? { lastWriteAt: -Infinity }
        slots.set(name, slot)
        slot.pending = { at: d.now(), detail }
        const wait = slot.lastWriteAt + every - d.now()
        if (wait <= 0) void flush(name, slot)
        else if (!slot.timer) {
          slot.timer = setTimeout(() => void flush(name, slot), wait)
          // A held mark must not keep a finished process (CLI, tests) alive.
          slot.timer.unref?.()
        }
      } catch (e) {
        d.log.warn('could not record a health mark', { name, err: e })
      }
    },

    async read() {
      // What this process observed counts at once: write held marks before reading.
      await Promise.all([...slots].map(([name, slot]) => flush(name, slot)))
      const rows = await d.db.query<{ name: MarkName; at: Date | string; detail: Record<string, unknown> | string | null }>('select name, at, detail from health_marks')
      const out = new Map<MarkName, Mark>()
      for (const r of rows) {
        const detail = typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : (r.detail ?? {})
        out.set(r.name, { at: new Date(r.at), detail })
      }
      return out
    },
  }
}

/** True when `a` happened after `b` (an absent mark never did). */
export function newer(a: Mark | undefined, b: Mark | undefined): boolean {
  return !!a && (!b || a.at.getTime() > b.at.getTime())
}

/** The later of two marks. */
export function latest(a: Mark | undefined, b: Mark | undefined): Mark | undefined {
  return newer(a, b) ? a : (b ?? a)
}

/** The WeCom client hook that remembers the IP WeCom saw in a 60020 (the setup page shows it). */
export function recordIpRejected(marks: HealthMarks | undefined): (e: WeComError) => void {
  return (e) => {
    if (e.errcode === 60020) marks?.record('ip_rejected', { ip: ipFromErrmsg(e.errmsg), path: e.path })
  }
}
