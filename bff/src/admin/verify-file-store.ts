import { verifyFileNamePattern, type VerifyFile } from '@portal/shared'
import type { Config } from '../config'
import type { Db, Queryable } from '../db'
import { writeAudit } from './audit'

// WW_verify_*.txt files (域名归属校验, see the README, "WeCom setup (real corp)"): WeCom's console hands out a file whose
// body is a short code; it must be served byte for byte at https://<domain>/<name>.

/** WeCom's files hold a 16-character code; anything much longer is not one of them. */
export const VERIFY_FILE_MAX_BYTES = 64
const CONTENT = /^[A-Za-z0-9]{1,64}$/

/** What is wrong with an upload, per field; empty when it is fine. */
export function verifyFileProblems(name: string, content: string): Record<string, string> {
  const fields: Record<string, string> = {}
  if (!verifyFileNamePattern.test(name)) fields.name = 'expected WW_verify_ followed by 16 letters or digits and .txt, as the WeCom console names the file'
  if (Buffer.byteLength(content, 'utf8') > VERIFY_FILE_MAX_BYTES) fields.content = `at most ${VERIFY_FILE_MAX_BYTES} bytes: the WeCom file holds a short code`
  else if (!CONTENT.test(normalizeContent(content))) fields.content = 'expected the short code of letters and digits the WeCom file holds'
  return fields
}

/** A trailing newline from an editor or a `echo >` is not part of the code. */
export function normalizeContent(content: string): string {
  return content.replace(/^\uFEFF/, '').trim()
}

/** How long an instance answers from memory: short, so an upload on one instance is served by all soon. */
export const VERIFY_FILE_CACHE_MS = 3_000

type CacheEntry = { content: string | undefined; until: number }
/** Per database, so this instance's own uploads and deletes show at once (others' within the TTL). */
const caches = new WeakMap<object, Map<string, CacheEntry>>()
const cacheOf = (db: Queryable) => {
  let c = caches.get(db)
  if (!c) caches.set(db, (c = new Map()))
  return c
}

type Row = { name: string; content: string; uploaded_at: Date | string; uploaded_by: string }

export async function listStoredVerifyFiles(db: Queryable): Promise<VerifyFile[]> {
  const rows = await db.query<Row>('select name, content, uploaded_at, uploaded_by from verify_files order by uploaded_at desc, name')
  return rows.map((r) => ({ name: r.name, content: r.content, uploadedAt: new Date(r.uploaded_at).toISOString(), uploadedBy: r.uploaded_by, source: 'stored' }))
}

/** Files from WECOM_VERIFY_FILES first (they win over a stored file of the same name), then stored ones. */
export async function listVerifyFiles(db: Queryable, config: Pick<Config, 'verifyFiles'>): Promise<VerifyFile[]> {
  const env: VerifyFile[] = config.verifyFiles.map((f) => ({ name: f.name, content: f.content, uploadedAt: '', uploadedBy: 'WECOM_VERIFY_FILES', source: 'env' }))
  const stored = (await listStoredVerifyFiles(db)).filter((f) => !env.some((e) => e.name === f.name))
  return [...env, ...stored]
}

export async function saveVerifyFile(db: Db, f: { name: string; content: string; actor: string; at: Date }): Promise<VerifyFile> {
  const content = normalizeContent(f.content)
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into verify_files (name, content, uploaded_at, uploaded_by) values ($1, $2, $3, $4)
       on conflict (name) do update set content = excluded.content, uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by`,
      [f.name, content, f.at, f.actor],
    )
    await writeAudit(tx, { actor: f.actor, action: 'verify_file_upload', target: f.name, at: f.at })
  })
  cacheOf(db).delete(f.name)
  return { name: f.name, content, uploadedAt: f.at.toISOString(), uploadedBy: f.actor, source: 'stored' }
}

/** False when no such stored file exists. */
export async function deleteVerifyFile(db: Db, f: { name: string; actor: string; at: Date }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const gone = await tx.query('delete from verify_files where name = $1 returning name', [f.name])
    if (!gone.length) return false
    await writeAudit(tx, { actor: f.actor, action: 'verify_file_delete', target: f.name, at: f.at })
    return true
  }).finally(() => cacheOf(db).delete(f.name))
}

/** The content to serve for `name`, or undefined; env files first, the database at most every few seconds per name. */
export function verifyFileLookup(d: { db: Queryable; config: Pick<Config, 'verifyFiles'>; now: () => number; cacheMs?: number }) {
  const cacheMs = d.cacheMs ?? VERIFY_FILE_CACHE_MS
  const cache = cacheOf(d.db)
  return async (name: string): Promise<string | undefined> => {
    const env = d.config.verifyFiles.find((f) => f.name === name)
    if (env) return env.content
    const hit = cache.get(name)
    if (hit && d.now() < hit.until) return hit.content
    const [row] = await d.db.query<{ content: string }>('select content from verify_files where name = $1', [name])
    // Only names shaped like WeCom's reach here, so the cache stays small.
    if (cache.size > 1000) cache.clear()
    cache.set(name, { content: row?.content, until: d.now() + cacheMs })
    return row?.content
  }
}
