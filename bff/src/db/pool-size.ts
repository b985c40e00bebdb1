/**
 * PostgreSQL connections per instance unless DATABASE_POOL_MAX says otherwise. Chosen with the
 * host API bench (`test/bench/todos.ts`) on 2 cores: connections beyond what the server's cores
 * can run only queue inside PostgreSQL instead of in the pool.
 */
export const DEFAULT_POOL_MAX = 10

/** Write groups committing at once on a pool of `poolMax`: half of it, the rest kept for reads. */
export const writeGroupsFor = (poolMax: number) => Math.max(1, Math.floor(poolMax / 2))
