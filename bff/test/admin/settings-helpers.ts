import { mkdtempSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import type { RuntimeSettings } from '../../src/admin/settings/runtime'
import { createSettingsService } from '../../src/admin/settings/service'
import { loadConfig, type Config } from '../../src/config'
import type { Db } from '../../src/db'
import { createLogger } from '../../src/log'
import { createSandbox, SANDBOX_DEFAULTS, type Sandbox, type SandboxOptions } from '../../src/sandbox'
import { pgliteTestDb } from '../helpers/test-db'

export const SESSION_SECRET = 'settings-test-session-secret-0123456789abcdef'

/** A sandbox on a real loopback port: the live checks go over HTTP as they would to WeCom. */
export async function listenSandbox(opts: Partial<SandboxOptions> = {}): Promise<{ sandbox: Sandbox; url: string; close(): Promise<void> }> {
  const sandbox = createSandbox({ trustedDomain: 'portal.example.com', ...opts })
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: sandbox.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { sandbox, url, close: () => new Promise((r) => server.close(() => r())) }
}

/** A config as loadConfig makes it from `env` (no corp: sandbox mode, nothing filled in). */
export function testConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig({ PUBLIC_URL: 'https://portal.example.com', SESSION_SECRET, ...env }, mkdtempSync(join(tmpdir(), 'settings-')))
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
  return loaded.config
}

/** The sandbox corp as the console would save it. */
export const sandboxCorp = (apiBase: string) => ({ corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, secret: SANDBOX_DEFAULTS.secret, apiBase })

export const gettokenCalls = (s: Sandbox) => s.state.calls.get('/cgi-bin/gettoken') ?? 0

export async function settingRows(db: Db) {
  return db.query<{ key: string; value: string; encrypted: boolean; updated_by: string }>('select key, value, encrypted, updated_by from settings order by key')
}

/** Empties what settings tests write, so one database serves a whole file (PGlite opens slowly). */
export async function resetSettings(db: Db): Promise<Db> {
  await db.exec('delete from settings; delete from admin_audit; update settings_version set version = 0')
  return db
}

/** A settings service (over a fresh database unless given one), with its log lines kept. */
export async function settingsRig(opts: { env?: Record<string, string>; db?: Db; config?: Config; pollMs?: number } = {}) {
  const config = opts.config ?? testConfig(opts.env)
  const db = opts.db ?? (await pgliteTestDb())
  const lines: string[] = []
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l) })
  const settings = createSettingsService({ config, db, log, now: Date.now, pollMs: opts.pollMs })
  return { config, db, log, lines, settings }
}

/** The ApiFailure a promise rejects with (fails the test when it resolves). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; fields: Record<string, string> }> {
  try {
    await p
  } catch (e) {
    const err = e as { code?: string; message: string; extra?: { fields?: Record<string, string> } }
    return { code: err.code ?? 'not an ApiFailure', message: err.message, fields: err.extra?.fields ?? {} }
  }
  throw new Error('expected the save to be refused')
}

/** The WeCom settings in effect (config holds only what is in effect without the stored ones). */
export const wecomInEffect = (s: RuntimeSettings) => ({
  corpId: s.get('corpId'),
  agentId: s.get('agentId'),
  secret: s.get('secret'),
  contactSecret: s.get('contactSecret'),
  apiBase: s.get('apiBase'),
  callbackToken: s.get('callbackToken'),
  callbackAesKey: s.get('callbackAesKey'),
})
