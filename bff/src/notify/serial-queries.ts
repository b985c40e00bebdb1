import type { Queryable } from '../db'

/**
 * One connection runs one query at a time: node-postgres queues overlapping ones itself but
 * deprecates doing so (gone in pg 9). The worker's concurrent sends record through one
 * transaction, so their queries take turns here.
 */
export function serialQueries(q: Queryable): Queryable {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    query<T extends object>(sql: string, params?: unknown[]): Promise<T[]> {
      const run = tail.then(() => q.query<T>(sql, params))
      tail = run.catch(() => {})
      return run
    },
  }
}
