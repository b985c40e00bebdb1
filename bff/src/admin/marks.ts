import type { Db } from '../db'
import type { Logger } from '../log'

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

// STUB — replaced by the doctor work.
export function createHealthMarks(_d: { db: Db; now: () => number; log: Logger }): HealthMarks {
  return { record() {}, read: async () => new Map() }
}
