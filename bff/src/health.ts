import { endpoints } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from './app-env'
import type { Db } from './db'
import { migrationFiles, schemaMismatch } from './db/migrate'
import type { DirectoryReadModel } from './directory/read-model'
import { ApiFailure } from './errors'

/** Why this instance cannot serve now, or undefined when it can. */
export type Readiness = () => Promise<string | undefined>

/**
 * For load balancers and orchestrators. `/healthz`: the process is alive (always 200, touches
 * nothing). `/readyz`: this instance can serve; otherwise 503 `unavailable` with the reason.
 */
export function healthRoutes(ready: Readiness) {
  return new Hono<AppEnv>()
    .get(endpoints.health.path, (c) => c.json({ ok: true }))
    .get(endpoints.ready.path, async (c) => {
      const reason = await ready()
      if (reason) throw new ApiFailure('unavailable', reason)
      return c.json({ ok: true })
    })
}

/**
 * Readiness of a started server: migrations are applied before it is built, so what is left is
 * the database answering with a schema this build knows (PostgreSQL: an instance of a newer
 * build may have migrated it since; PGlite lives in this process alone, and a probe would only
 * queue behind a long write) and the directory read model built at least once. A model that
 * failed to load at start is loaded here, so an instance kept out of rotation still gets ready.
 */
export function serverReadiness(d: { db: Db; readModel: DirectoryReadModel }, timeoutMs = 5_000): Readiness {
  const known = migrationFiles()
  return async () => {
    if (d.db.kind === 'postgres') {
      let newer: string | undefined
      try {
        newer = await withTimeout(schemaMismatch(d.db, known), timeoutMs)
      } catch (e) {
        return `database not reachable: ${messageOf(e)}`
      }
      if (newer) return newer
    }
    if (!d.readModel.loaded) {
      try {
        await withTimeout(d.readModel.current(), timeoutMs)
      } catch (e) {
        return `directory not loaded: ${messageOf(e)}`
      }
    }
    return undefined
  }
}

/** A probe never hangs on a database that does not answer (a dropped network, a full pool). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms)))
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}

export function messageOf(e: unknown): string {
  const err = e as { message?: string; code?: string }
  return err.message || err.code || String(e)
}
