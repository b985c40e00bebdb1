import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { freePort } from '../support/app-process'

/**
 * The benches' WeCom: `sandbox-server.ts` as a process of its own, serving a generated org of
 * `members` people in `departments` departments, callbacks going to `callbackUrl` when given.
 */
export async function sandboxProcess(o: { trustedDomain: string; members: number; departments: number; callbackUrl?: string }): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sandbox-server.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      MEMBERS: String(o.members),
      DEPARTMENTS: String(o.departments),
      TRUSTED_DOMAIN: o.trustedDomain,
      ...(o.callbackUrl ? { CALLBACK_URL: o.callbackUrl } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((r) => child.stdout!.once('data', () => r()))
  return { url: `http://127.0.0.1:${port}`, child }
}
