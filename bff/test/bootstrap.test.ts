import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bootstrap } from '../src/bootstrap'
import { createLogger } from '../src/log'

describe('bootstrap', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('returns a config frozen whole: an assignment anywhere in it throws', async () => {
    vi.stubEnv('PUBLIC_URL', 'https://portal.example.com')
    vi.stubEnv('SESSION_SECRET', 'bootstrap-test-session-secret-0123456789abcdef')
    vi.stubEnv('DATA_DIR', mkdtempSync(join(tmpdir(), 'bootstrap-')))
    const { config } = await bootstrap({ configProblems: 'problems', logger: () => createLogger({ level: 'error' }), openDb: async () => undefined })
    expect(config.mode).toBe('sandbox')
    expect(Object.isFrozen(config)).toBe(true)
    const writable = config as unknown as { port: number; wecom: { corpId: string }; sync: { cron: string } }
    expect(() => (writable.port = 1)).toThrow(TypeError)
    expect(() => (writable.wecom.corpId = 'ww0')).toThrow(TypeError)
    expect(() => (writable.sync.cron = '0 0 * * * ?')).toThrow(TypeError)
  })
})
