import { freshPostgresDatabase } from '@portal/bff/testing/db'

/**
 * The stores every store-bound figure runs on: PGlite always, PostgreSQL when BENCH_DATABASE_URL
 * (or TEST_DATABASE_URL) names a server. Each use gets a fresh database, dropped afterwards, so
 * runs never see each other's rows.
 */
export interface BenchStore {
  name: 'PGlite' | 'PostgreSQL'
  /** The app's environment for this store: `DATABASE_URL` for PostgreSQL, nothing for PGlite. */
  env: Record<string, string>
  drop(): Promise<void>
}

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL

/** The stores to measure; BENCH_STORES=PostgreSQL (or PGlite) keeps one, for a profile or a rerun. */
export function storeNames(): BenchStore['name'][] {
  if (!BENCH_DATABASE_URL) console.warn('  (PostgreSQL not benchmarked: set BENCH_DATABASE_URL or TEST_DATABASE_URL)')
  const all: BenchStore['name'][] = BENCH_DATABASE_URL ? ['PGlite', 'PostgreSQL'] : ['PGlite']
  const only = process.env.BENCH_STORES?.split(',')
  return only ? all.filter((n) => only.includes(n)) : all
}

export async function openStore(name: BenchStore['name']): Promise<BenchStore> {
  if (name === 'PGlite') return { name, env: {}, drop: async () => {} }
  const db = await freshPostgresDatabase(BENCH_DATABASE_URL!, 'bench')
  return { name, env: { DATABASE_URL: db.url }, drop: db.drop }
}

/** Runs `fn` once per store, each with a fresh database. */
export async function eachStore<T>(fn: (store: BenchStore) => Promise<T>): Promise<Partial<Record<BenchStore['name'], T>>> {
  const out: Partial<Record<BenchStore['name'], T>> = {}
  for (const name of storeNames()) {
    const store = await openStore(name)
    try {
      out[name] = await fn(store)
    } finally {
      await store.drop()
    }
  }
  return out
}
