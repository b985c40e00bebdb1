import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '../..')

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

export interface AppProcess {
  pid: number
  appUrl: string
  sandboxUrl: string
  output: () => string
  /** How the process ended (code, or the signal that killed it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Sends a signal (SIGTERM: the graceful stop under test). */
  kill(signal: NodeJS.Signals): void
  stop(): Promise<void>
  /** Its DATA_DIR: the one given, or one made for it and removed once the process has ended. */
  dataDir: string
}

/**
 * The server as a child process on free ports, in its own data dir, once ready: from source
 * (bff/src/index.ts, as `pnpm dev` runs it), or compiled (`dist/server.js`, as `pnpm start` runs
 * it) when APP_COMPILED=1 — the bench sets that, so it measures what production runs — from
 * APP_DIST's folder when set.
 * `nodeArgs` go to node (the bench's --cpu-prof).
 */
export async function startAppProcess(env: Record<string, string> = {}, opts: { nodeArgs?: string[] } = {}): Promise<AppProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const sandboxPort = env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : await freePort()
  let out = ''
  // A PGlite store is 40 MB even for the demo org (more at a bench's 100k members): one made here
  // goes when the process does, however it ends, so no run fills the machine's temp dir.
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'e2e-data-'))
  // APP_DIST: another build's folder (a bench comparing two builds side by side).
  const entry = process.env.APP_COMPILED === '1' ? [join(process.env.APP_DIST ?? join(ROOT, 'dist'), 'server.js')] : ['--import', 'tsx', join(ROOT, 'bff/src/index.ts')]
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], {
    cwd: join(ROOT, 'bff'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      ...env,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  // Before `exited` below: whoever awaits the end finds the dir gone.
  if (!env.DATA_DIR) child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const appUrl = env.PUBLIC_URL ?? `http://localhost:${port}`
  const stop = () => stopChild(child)
  // Slow on a loaded machine (tsx compiles the server on start): generous, and a failed start is
  // stopped rather than left running.
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`app exited with ${child.exitCode ?? child.signalCode}:\n${out}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5_000) })).ok) break
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`app did not start in ${START_TIMEOUT_MS / 1000} s:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return { appUrl, sandboxUrl: `http://localhost:${sandboxPort}`, pid: child.pid!, output: () => out, exited, kill: (signal) => void child.kill(signal), stop, dataDir }
}

/** How long a server from source may take to answer /healthz on a loaded machine. */
export const START_TIMEOUT_MS = 150_000
const KILL_AFTER_MS = 10_000

/** SIGTERM (the server finishes its work and closes the db), SIGKILL if it is not gone in 10 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
