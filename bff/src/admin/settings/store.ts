import type { SettingKey } from '@portal/shared'
import type { Queryable } from '../../db'
import { allKeys } from './keys'

export interface SettingRow {
  key: SettingKey
  /** Plain text, or the cipher's `v1.…` form when `encrypted`. */
  value: string
  encrypted: boolean
  updatedAt: Date
  updatedBy: string
}

export async function readRows(q: Queryable): Promise<SettingRow[]> {
  const rows = await q.query<{ key: string; value: string; encrypted: boolean; updated_at: Date; updated_by: string }>(
    'select key, value, encrypted, updated_at, updated_by from settings',
  )
  // A key this version does not know (a newer instance wrote it) is left alone.
  return rows
    .filter((r) => (allKeys as readonly string[]).includes(r.key))
    .map((r) => ({ key: r.key as SettingKey, value: r.value, encrypted: r.encrypted, updatedAt: new Date(r.updated_at), updatedBy: r.updated_by }))
}

export async function readVersion(q: Queryable): Promise<number> {
  const [row] = await q.query<{ version: string | number }>('select version from settings_version where id = 1')
  return Number(row?.version ?? 0)
}

/** Writes (value) or deletes (null) the given keys and bumps the version other instances poll. */
export async function writeRows(
  q: Queryable,
  changes: { key: SettingKey; row: { value: string; encrypted: boolean } | null }[],
  by: { actor: string; at: Date },
): Promise<number> {
  for (const c of changes) {
    if (c.row === null) await q.query('delete from settings where key = $1', [c.key])
    else {
      await q.query(
        `insert into settings (key, value, encrypted, updated_at, updated_by) values ($1, $2, $3, $4, $5)
         on conflict (key) do update set value = excluded.value, encrypted = excluded.encrypted, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [c.key, c.row.value, c.row.encrypted, by.at, by.actor],
      )
    }
  }
  const [row] = await q.query<{ version: string | number }>('update settings_version set version = version + 1 where id = 1 returning version')
  return Number(row?.version ?? 0)
}
