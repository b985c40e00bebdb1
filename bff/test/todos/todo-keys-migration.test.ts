import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { migrate } from '../../src/db/migrate'
import { describeEachDb } from '../helpers/test-db'

const NOW = new Date('2026-12-02T08:00:00Z')

describeEachDb('migration 009 (todos keyed by source, origin, ref)', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
    // Back to the shape before 009 (as 004 made it), with rows written by the old code.
    await db.exec(`
      drop index todos_key;
      alter table todos drop column ref;
      alter table todos add column source_ref text not null unique;
      delete from schema_migrations where name = '009-todo-keys.sql';
    `)
    const row = (id: string, source: string, sourceRef: string, origin: string, externalId: string | null) =>
      db.query(
        `insert into todos (id, assignee, source, source_ref, origin, external_id, title, summary, link, status, created_at, updated_at)
         values ($1, 'zhangsan', $2, $3, $4, $5, 't', '', 'https://x.example/', 'pending', $6, $6)`,
        [id, source, sourceRef, origin, externalId, NOW],
      )
    await row('a1', 'approval', '202612020001:zhangsan', '202612020001', null)
    await row('h1', 'host', 'oa:PO-1', 'oa', 'PO-1')
    await row('h2', 'host', 'oa:urn:po:2', 'oa', 'urn:po:2')
    expect(await migrate(db)).toEqual(['009-todo-keys.sql'])
  })
  afterAll(() => db.close())

  it('keeps every todo, its id and its identity', async () => {
    const rows = await db.query<{ id: string; source: string; origin: string; ref: string }>('select id, source, origin, ref from todos order by id')
    expect(rows).toEqual([
      { id: 'a1', source: 'approval', origin: '202612020001', ref: 'zhangsan' },
      { id: 'h1', source: 'host', origin: 'oa', ref: 'PO-1' },
      { id: 'h2', source: 'host', origin: 'oa', ref: 'urn:po:2' },
    ])
  })

  it('makes (source, origin, ref) the unique key: the same origin and ref may exist once per source', async () => {
    const insert = (id: string, source: string) =>
      db.query(
        `insert into todos (id, assignee, source, origin, ref, title, link, status, created_at, updated_at)
         values ($1, 'zhangsan', $2, '202612020001', 'zhangsan', 't', 'https://x.example/', 'pending', $3, $3)`,
        [id, source, NOW],
      )
    await insert('h3', 'host')
    await expect(insert('h4', 'host')).rejects.toThrow(/unique|duplicate/i)
    await expect(insert('a2', 'approval')).rejects.toThrow(/unique|duplicate/i)
  })
})
