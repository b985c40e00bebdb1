import { spawn, type ChildProcess } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { startAppProcess } from '../support/app-process'
import { signInBurst, type SignInBurst } from '../support/sign-in-burst'

/**
 * `n` people open the app at once on a cold server started like `pnpm start` (app and sandbox in
 * one process), optionally with another process keeping one core busy the whole time.
 */
export async function coldSignIns(n: number, opts: { busyCore?: boolean } = {}): Promise<SignInBurst & { busyCore: boolean }> {
  const app = await startAppProcess()
  const busy = opts.busyCore ? busyCore() : undefined
  try {
    return { ...(await signInBurst(app.appUrl, app.sandboxUrl, n)), busyCore: !!busy }
  } finally {
    busy?.kill('SIGKILL')
    await app.stop()
  }
}

/** A process that spins one core until killed. */
function busyCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
}

// `pnpm --filter @portal/test bench:sign-ins` (SIGN_INS=1000 by default): only this scenario.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.env.SIGN_INS ?? 1000)
  for (const busy of [false, true]) console.log(JSON.stringify(await coldSignIns(n, { busyCore: busy })))
}
