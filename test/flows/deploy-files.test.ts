import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStartingApp } from '@portal/bff/app'
import { cliLanguage, loadConfig, withWeComMode } from '@portal/bff/config'
import { createLogger } from '@portal/bff/log'
import { describe, expect, it } from 'vitest'
import { freePort } from '../support/app-process'
import { listenLate } from '../support/listen'

const ROOT = join(import.meta.dirname, '../..')
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8')

/** Every variable config.ts reads, seen by handing it an environment that records each read. */
function variablesConfigReads(): Set<string> {
  const seen = new Set<string>()
  const recording = (values: Record<string, string>) =>
    new Proxy(values, {
      get: (target, key) => {
        if (typeof key === 'string') seen.add(key)
        return target[key as string]
      },
    })
  // Sandbox mode, and WeCom mode (some defaults depend on it), then the console switching modes.
  const sandbox = loadConfig(recording({}), '/nonexistent')
  loadConfig(recording({ WECOM_CORP_ID: 'ww0123456789abcdef', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'x'.repeat(43), SESSION_SECRET: 's'.repeat(32) }), '/nonexistent')
  if (!sandbox.ok) throw new Error(sandbox.problems.join('\n'))
  withWeComMode(sandbox.config, { apiBaseStored: false }, recording({}))
  cliLanguage(recording({}))
  return seen
}

describe('deployment files', () => {
  it('.env.example lists exactly the variables config.ts reads', () => {
    const listed = [...read('.env.example').matchAll(/^#? ?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!)
    expect(listed.length, 'each variable once').toBe(new Set(listed).size)
    expect(new Set(listed)).toEqual(variablesConfigReads())
  })

  it('the Dockerfile copies the built folder into a Node 20 slim image and runs its server.js as a non-root user', () => {
    const dockerfile = read('Dockerfile')
    const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+ /.test(l))
    expect(instructions[0]).toBe('FROM node:20-slim')
    expect(instructions).toContain('WORKDIR /app')
    expect(instructions).toContain('COPY dist/ /app/')
    expect(instructions.filter((l) => l.startsWith('COPY'))).toHaveLength(1)
    expect(instructions).toContain('USER node')
    expect(instructions.at(-1)).toBe('CMD ["node", "server.js"]')
    expect(dockerfile).toMatch(/^HEALTHCHECK /m)
    // The build context holds the folder and nothing else.
    expect(read('.dockerignore').split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['*', '!dist/'])
  })

  it("the Dockerfile's HEALTHCHECK command passes against a live server and fails when nothing answers", async () => {
    const json = read('Dockerfile').match(/HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m)![1]!
    const [cmd, ...args] = JSON.parse(json) as string[]
    expect(cmd).toBe('node')
    const server = await listenLate()
    try {
      // The start-up app: /healthz answers before the database is even open.
      server.setHandler(createStartingApp({ basePath: '/' }, createLogger({ write: () => {} }), () => 'opening the database').fetch)
      expect(await exitCode(args, { PORT: String(server.port) })).toBe(0)
    } finally {
      await server.close()
    }
    expect(await exitCode(args, { PORT: String(await freePort()) })).toBe(1)
  })

  it('compose.yaml runs the image built here next to PostgreSQL 15, which the app waits for', () => {
    const compose = read('compose.yaml')
    expect(compose).toMatch(/^ {4}build: \.$/m)
    expect(compose).toMatch(/^ {4}image: postgres:15$/m)
    expect(compose).toMatch(/^ {6}DATABASE_URL: postgres:\/\/portal:\$\{POSTGRES_PASSWORD:-portal\}@db:5432\/portal$/m)
    expect(compose).toMatch(/depends_on:\n\s+db:\n\s+condition: service_healthy/)
  })

  it('the systemd unit runs server.js of the copied folder with plain node, as its own user', () => {
    const unit = read('bff/deploy/portal.service')
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/portal\/server\.js$/m)
    expect(unit).toMatch(/^User=portal$/m)
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/portal\/portal\.env$/m)
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m)
  })

  it('the service managers wait longer for a stop than the server takes (SHUTDOWN_TIMEOUT plus the database close) before SIGKILL', () => {
    const loaded = loadConfig({}, '/nonexistent')
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
    // The bound, then up to 2 s for the database to close.
    const needsS = loaded.config.shutdownMs / 1000 + 2
    const unit = read('bff/deploy/portal.service')
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m)
    expect(Number(unit.match(/^TimeoutStopSec=(\d+)$/m)?.[1])).toBeGreaterThan(needsS)
    // Docker's default is 10 s: not enough.
    expect(Number(read('compose.yaml').match(/^ {4}stop_grace_period: (\d+)s$/m)?.[1])).toBeGreaterThan(needsS)
  })

  it('pnpm start runs the build with plain node; pnpm dev keeps the watch mode', () => {
    const root = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    const bff = JSON.parse(read('bff/package.json')) as { scripts: Record<string, string> }
    expect(root.scripts.build).toMatch(/pnpm --filter @portal\/web build && pnpm --filter @portal\/bff build$/)
    expect(root.scripts.start).toMatch(/&& pnpm build && pnpm --filter @portal\/bff start$/)
    expect(bff.scripts.start).toBe('node ../dist/server.js')
    expect(bff.scripts.dev).toBe('tsx watch src/index.ts')
  })
})

function exitCode(args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' })
    child.once('error', reject)
    child.once('exit', (code) => resolve(code))
  })
}
