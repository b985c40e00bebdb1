import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { grantRole } from '@portal/bff/admin/role-grants'
import type { Db } from '@portal/bff/db'
import { migrate } from '@portal/bff/db/migrate'
import { openPglite } from '@portal/bff/db/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runToEnd } from '../support/run-process'
import { startStack } from '../support/stack'
import { syncOnce } from '../support/sync'

const ROOT = join(import.meta.dirname, '../..')
const HOST_KEY = 'oa-backup-key-0123456789abcdefghij'
/** Every table an operator would miss: people, todos, settings, grants, notifications not yet sent. */
const TABLES = ['members', 'departments', 'member_departments', 'todos', 'outbox', 'settings', 'settings_version', 'role_grants', 'admin_audit', 'sessions', 'member_contacts', 'member_contact_prompts', 'schema_migrations']

/**
 * `pnpm backup` and `pnpm restore` (PGlite) as an operator runs them: processes against a data
 * directory that the real app filled (a directory sync from the sandbox, todos through the host
 * API, settings and grants through their services).
 */
describe('backups that restore [PGlite]', () => {
  const work = mkdtempSync(join(tmpdir(), 'portal-backup-'))
  const dataDir = join(work, 'data')
  const archive = join(work, 'portal.tar.gz')
  let before: Record<string, unknown[]>

  beforeAll(async () => {
    const db = await openPglite(dataDir)
    await migrate(db)
    const stack = await startStack({ db, env: { HOST_API_KEYS: `oa:${HOST_KEY}` } })
    try {
      expect((await syncOnce(stack)).status).toBe('succeeded')
      // Notifications stay queued: the backup must carry ones not sent yet.
      await stack.deps.outbox.stop()
      for (const [externalId, assignee] of [['PO-1', 'lisi'], ['PO-2', 'zhouba']] as const) {
        const res = await fetch(`${stack.appUrl}/api/host/todos`, {
          method: 'POST',
          headers: { authorization: `Bearer ${HOST_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ externalId, assignee, title: '审核采购合同', link: `https://oa.example.com/c/${externalId}` }),
        })
        expect(res.status, await res.text()).toBeLessThan(300)
      }
      await stack.deps.settings.save({ syncCron: '0 0 3 * * ?' }, 'zhangsan')
      await grantRole(stack.deps.db, { kind: 'member', target: 'lisi', role: 'admin' }, 'zhangsan', new Date())
      // Contact details a member shared cannot be synced back: the backup must carry them.
      await stack.deps.db.query(`insert into member_contacts (userid, mobile, address, consented_at) values ('lisi', '13900000001', '深圳市南山区', now())`)
    } finally {
      await stack.close()
    }
    before = await rowsOf(dataDir)
    // The app wrote what the test is about (the outbox worker is not running: still pending).
    expect(before.members!.length).toBeGreaterThan(5)
    expect(before.todos).toHaveLength(2)
    expect(before.outbox!.filter((r) => (r as { status: string }).status === 'pending')).toHaveLength(2)
    expect(before.settings).toHaveLength(1)
    expect(before.role_grants).toHaveLength(1)
    expect(before.member_contacts).toHaveLength(1)
  }, 180_000)

  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('refuses while another process (the server) holds the data directory, and says what to do', async () => {
    const held = await openPglite(dataDir)
    try {
      const r = await cli('backup', ['--out', archive])
      expect(r.code).toBe(1)
      expect(r.out).toContain(`in use by process ${process.pid}`)
      expect(r.out).toContain('Stop the server')
      expect(existsSync(archive)).toBe(false)
    } finally {
      await held.close()
    }
  }, 120_000)

  it('with DATABASE_URL set, prints the pg_dump / pg_restore commands and touches nothing', async () => {
    for (const what of ['backup', 'restore'] as const) {
      const r = await cli(what, what === 'backup' ? ['--out', archive] : [archive], { DATABASE_URL: 'postgres://portal@db.example:5432/portal' })
      expect(r.code).toBe(2)
      expect(r.out).toContain(what === 'backup' ? 'pg_dump --format=custom' : 'pg_restore --clean')
    }
    expect(existsSync(archive)).toBe(false)
  }, 120_000)

  it('backs up a stopped data directory, read back before it counts', async () => {
    const r = await cli('backup', ['--out', archive])
    expect(r.code, r.out).toBe(0)
    expect(r.out).toContain(`to ${archive}`)
    expect(existsSync(archive)).toBe(true)
    // Taking a backup leaves the directory as it was, and unlocked.
    expect(await rowsOf(dataDir)).toEqual(before)
    const again = await cli('backup', ['--out', archive])
    expect(again.code).toBe(1)
    expect(again.out).toContain('exists: refusing to overwrite')
  }, 180_000)

  it('refuses a damaged or foreign archive before touching anything', async () => {
    const bytes = readFileSync(archive)
    const cases = {
      'truncated.tar.gz': bytes.subarray(0, bytes.length >> 1),
      'not-gzip.tar.gz': Buffer.from('hello, not an archive'),
    }
    for (const [name, content] of Object.entries(cases)) {
      writeFileSync(join(work, name), content)
      rmSync(dataDir, { recursive: true, force: true })
      const r = await cli('restore', [join(work, name)])
      expect(r.code, name).toBe(1)
      expect(r.out, name).toMatch(/Refusing .*not a backup made by `pnpm backup`.*Nothing was changed/s)
      expect(existsSync(dataDir) && readdirSync(dataDir).length, name).toBeFalsy()
    }
  }, 120_000)

  it('wiped, then restored: every member, todo, setting, grant and pending notification is back', async () => {
    rmSync(dataDir, { recursive: true, force: true })
    const r = await cli('restore', [archive])
    expect(r.code, r.out).toBe(0)
    expect(await rowsOf(dataDir)).toEqual(before)
  }, 180_000)

  it('will not replace a directory that holds data without --force; with it, the backup replaces it', async () => {
    const db = await openPglite(dataDir)
    await db.query(`delete from todos`)
    await db.query(`update settings set value = '0 0 5 * * ?'`)
    const after = await dump(db)
    await db.close()

    const refused = await cli('restore', [archive])
    expect(refused.code).toBe(1)
    expect(refused.out).toContain('is not empty: refusing to replace it')
    expect(await rowsOf(dataDir)).toEqual(after)

    const forced = await cli('restore', [archive, '--force'])
    expect(forced.code, forced.out).toBe(0)
    expect(await rowsOf(dataDir)).toEqual(before)
  }, 240_000)

  function cli(name: 'backup' | 'restore', args: string[], env: Record<string, string> = {}) {
    return runToEnd(process.execPath, ['--import', 'tsx', join(ROOT, `bff/src/cli/${name}.ts`), ...args], {
      cwd: join(ROOT, 'bff'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, ...env },
      timeoutMs: 110_000,
    })
  }
})

async function rowsOf(dataDir: string): Promise<Record<string, unknown[]>> {
  const db = await openPglite(dataDir)
  try {
    return await dump(db)
  } finally {
    await db.close()
  }
}

/** Every row of every table that matters, as JSON sees it (timestamps as strings). */
async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const t of TABLES) out[t] = JSON.parse(JSON.stringify(await db.query(`select * from ${t} order by 1, 2`))) as unknown[]
  return out
}
