import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { deleteVerifyFile, listVerifyFiles, saveVerifyFile, verifyFileProblems } from '../../src/admin/verify-file-store'
import { verifyFileServing } from '../../src/admin/verify-files'
import type { Db } from '../../src/db'
import { pgliteTestDb } from '../helpers/test-db'
import { doctorConfig } from './doctor-helpers'

const NAME = 'WW_verify_Q1w2E3r4T5y6U7i8.txt'
const CODE = 'Zx8Cv7Bn6Mq5Wl4K'
const ENV_FILE = { name: 'WW_verify_EnvEnvEnvEnv1234.txt', content: 'EnvCode0123456789' }

describe('verify file validation', () => {
  it('rejects names not shaped like WeCom\'s, path tricks included', () => {
    for (const name of ['WW_verify_short.txt', 'WW_verify_Q1w2E3r4T5y6U7i8.html', '../WW_verify_Q1w2E3r4T5y6U7i8.txt', 'ww_verify_Q1w2E3r4T5y6U7i8.txt', 'WW_verify_Q1w2E3r4T5y6U7i8.txt/x', 'MP_verify_Q1w2E3r4T5y6U7i8.txt']) {
      expect(verifyFileProblems(name, CODE), name).toHaveProperty('name')
    }
  })

  it('rejects content that is not a short code: markup, spaces, too long, empty', () => {
    for (const content of ['<script>alert(1)</script>', 'two words', 'x'.repeat(65), '', '   ', 'код']) {
      expect(verifyFileProblems(NAME, content), JSON.stringify(content)).toHaveProperty('content')
    }
  })

  it('accepts WeCom\'s file as downloaded, a trailing newline included', () => {
    expect(verifyFileProblems(NAME, CODE)).toEqual({})
    expect(verifyFileProblems(NAME, `${CODE}\n`)).toEqual({})
  })
})

describe('verify files served at the root', () => {
  let db: Db
  let now = Date.UTC(2026, 10, 4)
  beforeAll(async () => {
    db = await pgliteTestDb()
  })
  afterAll(() => db.close())
  beforeEach(async () => {
    await db.exec('delete from verify_files; delete from admin_audit')
    // Past whatever the previous test left in the per-database cache.
    now += 3_600_000
  })
  const site = (cacheNow = () => now) => new Hono().route('/', verifyFileServing({ db, config: { ...doctorConfig(), verifyFiles: [ENV_FILE] }, now: cacheNow }))

  it('answers 404 for unknown names and anything not shaped like a verify file', async () => {
    const app = site()
    for (const path of [`/${NAME}`, '/WW_verify_x.txt', '/WW_verify_Q1w2E3r4T5y6U7i8.txt.bak', '/robots.txt']) {
      expect((await app.request(path)).status, path).toBe(404)
    }
  })

  it('serves an uploaded file byte for byte as text/plain, trailing newline dropped', async () => {
    await saveVerifyFile(db, { name: NAME, content: `${CODE}\r\n`, actor: 'zhangsan', at: new Date(now) })
    const res = await site().request(`/${NAME}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await res.text()).toBe(CODE)
    // Only at the root (or the prefix): not below another path that looks like one.
    expect((await site().request(`/WW_verify_x/${NAME}`)).status).toBe(404)
  })

  it('serves files from WECOM_VERIFY_FILES', async () => {
    const res = await site().request(`/${ENV_FILE.name}`)
    expect(await res.text()).toBe(ENV_FILE.content)
  })

  it('serves another instance\'s upload within seconds, and stops serving a delete as soon', async () => {
    const app = site()
    // Another instance: the same database through another connection.
    const other = { ...db } as Db
    expect((await app.request(`/${NAME}`)).status).toBe(404)
    await saveVerifyFile(other, { name: NAME, content: CODE, actor: 'zhangsan', at: new Date(now) })
    // Cached "not found" for a few seconds at most…
    now += 1000
    expect((await app.request(`/${NAME}`)).status).toBe(404)
    now += 5000
    expect((await app.request(`/${NAME}`)).status).toBe(200)
    expect(await deleteVerifyFile(other, { name: NAME, actor: 'zhangsan', at: new Date(now) })).toBe(true)
    now += 1000
    expect((await app.request(`/${NAME}`)).status).toBe(200)
    now += 5000
    expect((await app.request(`/${NAME}`)).status).toBe(404)
  })

  it('serves this instance\'s own upload and delete at once', async () => {
    const app = site()
    expect((await app.request(`/${NAME}`)).status).toBe(404)
    await saveVerifyFile(db, { name: NAME, content: CODE, actor: 'zhangsan', at: new Date(now) })
    expect(await (await app.request(`/${NAME}`)).text()).toBe(CODE)
    await deleteVerifyFile(db, { name: NAME, actor: 'zhangsan', at: new Date(now) })
    expect((await app.request(`/${NAME}`)).status).toBe(404)
  })

  it('lists env files first and stored ones with who uploaded them, and audits upload and delete', async () => {
    await saveVerifyFile(db, { name: NAME, content: CODE, actor: 'zhangsan', at: new Date(now) })
    const items = await listVerifyFiles(db, { verifyFiles: [ENV_FILE] })
    expect(items).toEqual([
      { ...ENV_FILE, uploadedAt: '', uploadedBy: 'WECOM_VERIFY_FILES', source: 'env' },
      { name: NAME, content: CODE, uploadedAt: new Date(now).toISOString(), uploadedBy: 'zhangsan', source: 'stored' },
    ])
    expect(await deleteVerifyFile(db, { name: NAME, actor: 'lisi', at: new Date(now) })).toBe(true)
    expect(await deleteVerifyFile(db, { name: NAME, actor: 'lisi', at: new Date(now) })).toBe(false)
    const audit = await db.query<{ actor: string; action: string; target: string }>('select actor, action, target from admin_audit order by id')
    expect(audit).toEqual([
      { actor: 'zhangsan', action: 'verify_file_upload', target: NAME },
      { actor: 'lisi', action: 'verify_file_delete', target: NAME },
    ])
  })
})
