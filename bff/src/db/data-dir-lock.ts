import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * PGlite is one process's database: a second process that opens the same data directory while
 * the first has it open sees a stale catalog, and what it writes can leave the directory
 * unopenable (tried with PGlite 0.5: afterwards it aborts at start). PGlite itself keeps no lock
 * (its postmaster.pid holds a fixed -42), so every opener here takes this one first: the server,
 * `pnpm sync`, `pnpm run doctor`, `pnpm backup` and `pnpm restore`.
 *
 * The file sits inside the data directory (a Docker volume's mount point has no writable
 * parent). It names the holder; the holder touches it every HEARTBEAT_MS. It is stale when its
 * process is gone (same host), or when its heartbeat stopped (another host or container, where
 * the pid means nothing here).
 */
export const LOCK_FILE = 'portal.lock'
const HEARTBEAT_MS = 5_000
const STALE_AFTER_MS = 30_000
/** Data directories this process holds: the same pid in the file is not a dead container's. */
const held = new Set<string>()

export interface DataDirLock {
  readonly dir: string
  release(): void
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: { pid: number; host: string; since: string },
  ) {
    super(
      `the data directory ${dir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}): ` +
        'PGlite allows one process at a time. Stop that process (the server?) first' +
        (holder.host === hostname() ? '' : `, or if it is gone, delete ${join(dir, LOCK_FILE)}`),
    )
    this.name = 'DataDirBusyError'
  }
}

export function lockDataDir(dataDir: string, now: () => number = Date.now): DataDirLock {
  const dir = resolve(dataDir)
  const file = join(dir, LOCK_FILE)
  if (held.has(dir)) throw new DataDirBusyError(dir, { pid: process.pid, host: hostname(), since: 'now' })
  const current = readLock(file)
  if (current && !isStale(current, file, now())) throw new DataDirBusyError(dir, current)
  if (existsSync(file)) unlinkSync(file)
  const token = randomUUID()
  try {
    // 'wx': of two processes that found it free at once, one wins.
    writeFileSync(file, `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date(now()).toISOString(), token })}\n`, { flag: 'wx' })
  } catch (e) {
    const winner = (e as NodeJS.ErrnoException).code === 'EEXIST' ? readLock(file) : undefined
    if (winner) throw new DataDirBusyError(dir, winner)
    throw e
  }
  held.add(dir)
  const beat = setInterval(() => {
    try {
      const t = new Date(now())
      utimesSync(file, t, t)
    } catch {
      /* the directory went away: nothing left to guard */
    }
  }, HEARTBEAT_MS)
  beat.unref()
  return {
    dir,
    release() {
      clearInterval(beat)
      if (!held.delete(dir)) return
      if (readLock(file)?.token === token) unlinkSync(file)
    },
  }
}

type LockInfo = { pid: number; host: string; since: string; token: string }

function readLock(file: string): LockInfo | undefined {
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo
  } catch {
    // Half-written by a process that died: nobody holds it.
    return undefined
  }
}

function isStale(lock: LockInfo, file: string, nowMs: number): boolean {
  if (lock.host === hostname()) {
    // Our own pid but not held here: a container restarted with the same pid (1).
    if (lock.pid === process.pid) return true
    try {
      process.kill(lock.pid, 0)
      return false
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH'
    }
  }
  return nowMs - statSync(file).mtimeMs > STALE_AFTER_MS
}
