import type { ChangeFeed } from './change-feed'

/** The little the app needs from a database; PGlite and node-postgres both fit behind it. */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
}

export interface Tx extends Queryable {
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>
}

/** A unit of writing: everything it does goes through `tx`. It may run more than once (see Db.write). */
export type WriteFn<T> = (tx: Tx) => Promise<T>

/**
 * Writes of one kind that a group runs as one call (see Db.writeBatched): `run` gets the items of
 * every such write in the group, in the order they came, and returns one result per item in the
 * same order. The same rules as a WriteFn hold; `run` must give each item the result it would
 * have had alone, since a failing batch is run again item by item.
 */
export interface Batch<I, T> {
  run(tx: Tx, items: I[]): Promise<T[]>
}

export interface Db extends Tx {
  readonly kind: 'pglite' | 'postgres'
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  /**
   * A short write that many requests make at once (the host API). It resolves only once its rows
   * are committed, and fails alone: another write's failure never fails it. Concurrent writes
   * share transactions (group commit, see group-commit.ts): one group at a time on PGlite,
   * several on PostgreSQL, where one that loses a race with another group (deadlock,
   * serialization failure) runs again alone. So `fn` may run more than once and must touch
   * nothing but `tx`: no other queries (the group would wait for itself), no calls out, no side
   * effects to undo.
   */
  write<T>(fn: WriteFn<T>): Promise<T>
  /**
   * `write` for a write of a kind many requests make at once: the writes of `batch` that share a
   * group run as one `batch.run` (one object = one kind), so that their rows go in one statement.
   */
  writeBatched<I, T>(batch: Batch<I, T>, item: I): Promise<T>
  /** Changes announced to every instance on this database (caches listen to drop what is stale). */
  readonly changes: ChangeFeed
  close(): Promise<void>
  /** Connection use for the metrics, read without a query. */
  stats?(): DbStats
}

/** PostgreSQL: the pool's connections, and the queries waiting for one plus the writes queued for a group. PGlite: writes queued for the next group commit. */
export interface DbStats {
  total?: number
  idle?: number
  max?: number
  waiting: number
}
