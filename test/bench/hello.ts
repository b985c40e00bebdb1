import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { freePort } from '../support/app-process'
import { load, type LoadResult } from './load'

/** The baseline every BFF figure is divided by: Hono hello-world in its own process, 2 s warm-up. */
export async function helloWorld(seconds: number): Promise<LoadResult> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'hello-server.ts')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((r) => child.stdout!.once('data', () => r()))
  try {
    await load(`http://127.0.0.1:${port}/`, { seconds: 2 })
    return await load(`http://127.0.0.1:${port}/`, { seconds, pid: child.pid! })
  } finally {
    child.kill('SIGTERM')
  }
}
