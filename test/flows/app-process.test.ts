import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startAppProcess } from '../support/app-process'

// The e2e suites and the benches start the server as a process; its PGlite store is 40 MB for the
// demo org and hundreds at a bench's 100k members. Nothing a run starts may outlive it on disk.
describe('a server process started for a test', () => {
  it('goes with the data dir made for it, however it ends, and keeps one it was given', async () => {
    const own = await startAppProcess({ SYNC_ENABLE: 'false' })
    expect(readdirSync(own.dataDir).length).toBeGreaterThan(0) // the store is there while it runs
    own.kill('SIGKILL')
    await own.exited
    expect(existsSync(own.dataDir)).toBe(false)

    const given = mkdtempSync(join(tmpdir(), 'app-process-'))
    try {
      const app = await startAppProcess({ SYNC_ENABLE: 'false', DATA_DIR: given })
      expect(app.dataDir).toBe(given)
      await app.stop()
      expect(readdirSync(given).length).toBeGreaterThan(0)
    } finally {
      rmSync(given, { recursive: true, force: true })
    }
  })
})
