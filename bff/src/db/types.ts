/** The little the app needs from a database; PGlite and node-postgres both fit behind it. */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
}

export interface Tx extends Queryable {
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>
}

export interface Db extends Tx {
  readonly kind: 'pglite' | 'postgres'
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  close(): Promise<void>
}
