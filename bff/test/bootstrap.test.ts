import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WECOM_API_BASE } from '@portal/shared'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { bootstrap } from '../src/bootstrap'
import type { Db } from '../src/db'
import { createLogger } from '../src/log'
import { SANDBOX_CALLBACK, SANDBOX_DEFAULTS } from '../src/sandbox'
import { pgliteTestDb } from './helpers/test-db'

const boot = (db?: Db) => bootstrap({ configProblems: 'problems', logger: () => createLogger({ level: 'error' }), openDb: async () => db })

describe('bootstrap', () => {
  beforeEach(() => {
    vi.stubEnv('PUBLIC_URL', 'https://portal.example.com')
    vi.stubEnv('SESSION_SECRET', 'bootstrap-test-session-secret-0123456789abcdef')
    vi.stubEnv('DATA_DIR', mkdtempSync(join(tmpdir(), 'bootstrap-')))
  })
  afterEach(() => vi.unstubAllEnvs())

  it('returns a config frozen whole: an assignment anywhere in it throws', async () => {
    const { config } = await boot()
    expect(config.mode).toBe('sandbox')
    expect(Object.isFrozen(config)).toBe(true)
    const writable = config as unknown as { port: number; wecom: { corpId: string }; sync: { cron: string } }
    expect(() => (writable.port = 1)).toThrow(TypeError)
    expect(() => (writable.wecom.corpId = 'ww0')).toThrow(TypeError)
    expect(() => (writable.sync.cron = '0 0 * * * ?')).toThrow(TypeError)
  })

  // The settings service is built on the config the mode decision produced, not the one loaded from env.
  it('hands out settings that read the sandbox corp in sandbox mode', async () => {
    const db = await pgliteTestDb()
    try {
      const { config, settings } = await boot(db)
      expect(config.wecom).toMatchObject({ corpId: SANDBOX_DEFAULTS.corpId, callbackToken: SANDBOX_CALLBACK.token })
      expect(settings!.get('corpId')).toBe(SANDBOX_DEFAULTS.corpId)
      expect(settings!.get('callbackToken')).toBe(SANDBOX_CALLBACK.token)
      expect((await settings!.view()).fields.find((f) => f.key === 'corpId')).toMatchObject({ source: 'sandbox' })
    } finally {
      await db.close()
    }
  })

  it('hands out settings that read WeCom mode when the console stored a corp', async () => {
    const db = await pgliteTestDb()
    try {
      await db.exec("insert into settings (key, value, encrypted, updated_at, updated_by) values ('corpId', 'wwf00dcafe00000003', false, now(), 'zhangsan')")
      const { config, settings } = await boot(db)
      expect(config.mode).toBe('wecom')
      expect(Object.isFrozen(config)).toBe(true)
      expect(settings!.get('corpId')).toBe('wwf00dcafe00000003')
      // The loaded config had the sandbox's API base; WeCom mode's is WeCom's own.
      expect(settings!.get('apiBase')).toBe(WECOM_API_BASE)
      expect((await settings!.view()).fields.find((f) => f.key === 'apiBase')).toMatchObject({ source: 'default', value: WECOM_API_BASE })
    } finally {
      await db.close()
    }
  })
})
