import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirBusyError, LOCK_FILE, lockDataDir } from '../../src/db/data-dir-lock'
import { openPglite } from '../../src/db/pglite'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lock-'))
  dirs.push(d)
  return d
}
const plant = (d: string, lock: { pid: number; host: string }) =>
  writeFileSync(join(d, LOCK_FILE), JSON.stringify({ ...lock, since: '2026-12-03T08:00:00.000Z', token: 'theirs' }))

describe('the PGlite data directory lock', () => {
  it('a second opener is refused while the first holds it, in this process or another live one', async () => {
    const d = dir()
    const lock = lockDataDir(d)
    expect(() => lockDataDir(d)).toThrow(DataDirBusyError)
    // PGlite itself would open it (it keeps no lock of its own): the refusal comes first.
    await expect(openPglite(d)).rejects.toThrow(DataDirBusyError)
    lock.release()
    expect(existsSync(join(d, LOCK_FILE))).toBe(false)

    const other = dir()
    // A live process that is not this one: our parent.
    plant(other, { pid: process.ppid, host: hostname() })
    expect(() => lockDataDir(other)).toThrow(`in use by process ${process.ppid} on ${hostname()}`)
    expect(JSON.parse(readFileSync(join(other, LOCK_FILE), 'utf8'))).toMatchObject({ token: 'theirs' })
  })

  it('a lock left by a process that is gone (killed, crashed) is taken over', () => {
    const d = dir()
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    plant(d, { pid: gone, host: hostname() })
    const lock = lockDataDir(d)
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid })
    lock.release()
  })

  it('our own pid in a lock we do not hold is a restarted container (pid 1 again): taken over', () => {
    const d = dir()
    plant(d, { pid: process.pid, host: hostname() })
    lockDataDir(d).release()
  })

  it('another host or container: held while its heartbeat is fresh, taken over once it stops', () => {
    const d = dir()
    plant(d, { pid: 1, host: 'another-container' })
    expect(() => lockDataDir(d)).toThrow(`delete ${join(d, LOCK_FILE)}`)
    const old = new Date(Date.now() - 31_000)
    utimesSync(join(d, LOCK_FILE), old, old)
    lockDataDir(d).release()
  })

  it('release leaves a lock that is no longer ours', () => {
    const d = dir()
    const lock = lockDataDir(d)
    plant(d, { pid: process.ppid, host: hostname() })
    lock.release()
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toMatchObject({ token: 'theirs' })
  })
})
