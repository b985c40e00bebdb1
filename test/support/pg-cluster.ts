import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './app-process'
import { runToEnd } from './run-process'

/**
 * A PostgreSQL cluster of a test's own (initdb into a temporary directory, its own port), for
 * tests that stop and start the database: never the shared one on 5432 that other suites use.
 * As root, initdb refuses to run: then the cluster belongs to the `postgres` user (runuser).
 */
export interface PgCluster {
  url: string
  /** pg_ctl stop -m fast: connections are ended, as in a restart. */
  stop(): Promise<void>
  start(): Promise<void>
  /** Stops it (if running) and removes its directory. */
  destroy(): Promise<void>
}

/** The server binaries (initdb, pg_ctl) of the newest PostgreSQL installed, or why there are none. */
export function findPgBinaries(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/initdb'))) : []
  versions.sort((a, b) => Number(b) - Number(a))
  return versions[0] ? { bin: join(root, versions[0], 'bin') } : { missing: `no initdb under ${root}/*/bin (install the postgresql package)` }
}

export async function createPgCluster(bin: string): Promise<PgCluster> {
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'pg-cluster-'))
  const data = join(dir, 'data')
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
    chownSync(dir, uid, gid)
  }
  const run = async (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args]
    const r = await runToEnd(cmd, argv as string[], { cwd: dir, env: { PATH: process.env.PATH, LANG: 'C' }, timeoutMs: 60_000 })
    if (r.code !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.code}):\n${r.out}`)
  }
  const port = await freePort()
  let running = false
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      // Its socket in its own directory; fsync off: a test's data need not survive a power cut.
      await run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'])
      running = true
    },
    async stop() {
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'])
      running = false
    },
    async destroy() {
      try {
        if (running) await cluster.stop()
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'])
    await cluster.start()
  } catch (e) {
    await cluster.destroy()
    throw e
  }
  return cluster
}
