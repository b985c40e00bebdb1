import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'

const cwd = () => mkdtempSync(join(tmpdir(), 'cfg-'))

describe('TRUST_PROXY', () => {
  it('rejects a value that is not a boolean', () => {
    const r = loadConfig({ TRUST_PROXY: 'maybe' }, cwd())
    expect(r.ok ? [] : r.problems).toContain('TRUST_PROXY: expected true or false, got "maybe"')
  })

  it('is off unless set: forwarded headers are client-controlled without a proxy that overwrites them', () => {
    const r = loadConfig({}, cwd())
    expect(r.ok && r.config.trustProxy).toBe(false)
    const on = loadConfig({ TRUST_PROXY: 'true' }, cwd())
    expect(on.ok && on.config.trustProxy).toBe(true)
  })
})
