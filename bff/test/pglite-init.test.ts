import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openPglite } from '../src/db/pglite'
import { initPgliteDir } from '../src/db/pglite-init'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pglite-init-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('a new PGlite data directory is created in a child process', () => {
  it('fails with the directory named when it cannot be created (a file is in the way)', async () => {
    const file = join(tempDir(), 'not-a-dir')
    writeFileSync(file, 'x')
    await expect(initPgliteDir(file)).rejects.toThrow(`creating the PGlite data directory ${file} failed`)
  })

  it('creates it once, and the server then opens it and keeps its rows across restarts', async () => {
    const dir = tempDir()
    await initPgliteDir(dir)
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true)
    const first = await openPglite(dir)
    await first.exec('create table kept (n int); insert into kept values (42)')
    await first.close()
    await initPgliteDir(dir) // a no-op on an existing directory
    const again = await openPglite(dir)
    try {
      expect(await again.query('select n from kept')).toEqual([{ n: 42 }])
      expect(await again.query("select current_setting('shared_buffers') as s")).toEqual([{ s: '32MB' }])
    } finally {
      await again.close()
    }
  }, 120_000)
})
