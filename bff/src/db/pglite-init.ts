import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Creates a new PGlite data directory in a short-lived child process. `initdb` runs in a
 * WebAssembly instance of its own whose memory (≈ 500 MB) the server would otherwise keep until
 * V8 next collects, which an idle server may not do for minutes; a child returns it at exit.
 */
export async function initPgliteDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return
  const pglite = import.meta.resolve('@electric-sql/pglite')
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); const pg = new PGlite(process.argv[1]); await pg.waitReady; await pg.close()`
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, dataDir], { timeout: 120_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`creating the PGlite data directory ${dataDir} failed: ${stderr.trim() || err.message}`)) : resolve(),
    )
  })
}
