import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
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
  appUrl: string
  sandboxUrl: string
  output: () => string
  stop(): Promise<void>
}

/** The server from source (bff/src/index.ts, as `pnpm dev` runs it) as a child process on free ports, in its own data dir, once ready. */
export async function startAppProcess(env: Record<string, string> = {}): Promise<AppProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const sandboxPort = env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : await freePort()
  let out = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bff/src/index.ts')], {
    cwd: join(ROOT, 'bff'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-data-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const appUrl = env.PUBLIC_URL ?? `http://localhost:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`app did not start in 60 s:\n${out}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    appUrl,
    sandboxUrl: `http://localhost:${sandboxPort}`,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
