import type { Queryable } from '../db'

/** Every write to the directory bumps this, in the same transaction; readers rebuild caches on change. */
export async function bumpDirectoryVersion(tx: Queryable, changed: boolean, syncedAt?: Date): Promise<void> {
  if (changed) await tx.query('update directory_state set version = version + 1 where id = 1')
  if (syncedAt) await tx.query('update directory_state set synced_at = $1 where id = 1', [syncedAt])
}

export async function directoryVersion(db: Queryable): Promise<{ version: number; syncedAt: Date | null }> {
  const [row] = await db.query<{ version: string | number; synced_at: Date | null }>('select version, synced_at from directory_state where id = 1')
  return { version: Number(row?.version ?? 0), syncedAt: row?.synced_at ?? null }
}
