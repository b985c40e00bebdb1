import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { meSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/app-process'
import { signedInAs, TestBrowser, UA } from '../support/browser'

const ROOT = join(import.meta.dirname, '../..')

/**
 * `pnpm build --out <dir>` and the folder it makes, run as an operator would: `node <dir>/server.js`
 * from elsewhere, with nothing of the repo around it.
 */
describe('the deployable build', () => {
  const work = mkdtempSync(join(tmpdir(), 'portal-build-'))
  const out = join(work, 'portal')
  let server: ChildProcess | undefined
  let output = ''
  let appUrl = ''
  // Only what an operator's environment would hold: no NODE_PATH or NODE_OPTIONS from the test runner.
  let serverEnv: NodeJS.ProcessEnv = {}

  beforeAll(async () => {
    // The build step alone: the H5 is built already (`pnpm test` runs `pnpm build` first), and
    // rebuilding it here would rewrite web/dist under the other suites' feet.
    const build = await run(process.execPath, ['--import', 'tsx', 'deploy/build.ts', '--out', out], join(ROOT, 'bff'))
    if (build.code !== 0) throw new Error(`build failed (${build.code}):\n${build.output}`)
    const [port, sandboxPort] = [await freePort(), await freePort()]
    appUrl = `http://localhost:${port}`
    serverEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), SANDBOX_PORT: String(sandboxPort), DATA_DIR: join(work, 'data') }
    server = spawn(process.execPath, [join(out, 'server.js')], {
      cwd: work,
      env: serverEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    server.stdout!.on('data', (d) => (output += d))
    server.stderr!.on('data', (d) => (output += d))
    await waitForReady(server, `${appUrl}/readyz`)
  }, 180_000)

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL')
      await new Promise((r) => server!.once('exit', r))
    }
    rmSync(work, { recursive: true, force: true })
  })

  it('holds the bundled server, the H5, the migrations and the production dependencies only', () => {
    for (const f of ['server.js', 'doctor.js', 'sync.js', 'backup.js', 'restore.js', 'pglite-thread.mjs', 'package.json', 'build-info.json', 'web/index.html']) expect(existsSync(join(out, f)), f).toBe(true)
    expect(readdirSync(join(out, 'migrations'))).toEqual(readdirSync(join(ROOT, 'bff/src/db/migrations')))
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', scripts: { start: 'node server.js' } })
    const installed = readdirSync(join(out, 'node_modules/.pnpm'))
    for (const dev of ['tsx', 'typescript', 'esbuild', 'vitest', 'vite', '@portal+']) expect(installed.filter((p) => p.startsWith(dev)), dev).toEqual([])
    expect(installed.some((p) => p.startsWith('hono@'))).toBe(true)
  })

  it('leaves nothing around the folder to lend it a transpiler', async () => {
    const probe = `for (const n of ['tsx', 'typescript', 'esbuild']) { try { require.resolve(n, { paths: [${JSON.stringify(out)}] }); console.log(n) } catch {} }`
    const found = await run(process.execPath, ['-e', probe], work, serverEnv)
    expect(found).toEqual({ code: 0, output: '' })
  })

  it('runs with plain node: no loader flags, no esbuild service beside it (tsx would start one)', () => {
    const pid = server!.pid!
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)).toEqual([process.execPath, join(out, 'server.js')])
    const children = readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
    expect(children).toEqual([])
  })

  it('serves the H5 from the folder', async () => {
    const html = await (await fetch(`${appUrl}/contacts`)).text()
    expect(html).toContain('window.__PORTAL_BASE__="/"')
    const asset = html.match(/"(\/assets\/[^"]+\.js)"/)![1]!
    expect((await fetch(`${appUrl}${asset}`)).status).toBe(200)
  })

  it('signs in through it against the sandbox', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${appUrl}/auth/login?returnTo=${encodeURIComponent('/me')}`, signedInAs('zhangsan'))
    expect(url).toBe(`${appUrl}/me`)
    const res = await b.request(`${appUrl}/api/me`)
    expect(res.status).toBe(200)
    expect(meSchema.parse(await res.json())).toMatchObject({ userid: 'zhangsan', name: '张三', roles: ['admin', 'member'] })
  })

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => server!.once('exit', (code) => r(code)))
    server!.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  async function waitForReady(child: ChildProcess, url: string): Promise<void> {
    const deadline = Date.now() + 90_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`)
      if (await fetch(url).then((r) => r.ok, () => false)) return
      if (Date.now() > deadline) throw new Error(`server not ready in 90 s:\n${output}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
})

function run(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, output }))
  })
}
