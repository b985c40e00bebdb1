import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { DirectoryReadModel } from '../../src/directory/read-model'
import { ApiFailure } from '../../src/errors'
import { checkPeople } from '../../src/todos/host-people'
import { describeEachDb } from '../helpers/test-db'

const member = (db: Db, userid: string, status: number) =>
  db.query('insert into members (userid, name, status) values ($1, $2, $3) on conflict (userid) do update set status = excluded.status', [userid, `name of ${userid}`, status])

const fieldsOf = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (e: unknown) => e)
  expect(e).toBeInstanceOf(ApiFailure)
  return (e as ApiFailure).extra.fields
}

describeEachDb('host API: who may be assigned a todo', (open) => {
  let db: Db
  let model: DirectoryReadModel
  beforeAll(async () => {
    db = await open()
    await member(db, 'Active1', 1)
    await member(db, 'quit1', 5)
    await member(db, 'later-active', 4)
    // A clock that never moves: the in-memory directory is loaded once and then never refreshed,
    // as between two version checks.
    model = new DirectoryReadModel(db, () => 0)
    await model.current()
  })
  afterAll(() => db.close())

  // ---- failure paths first -------------------------------------------------------------------

  it('refuses an assignee who is unknown or not active, and an unknown requester, naming each field', async () => {
    expect(await fieldsOf(checkPeople(db, { assignee: 'nobody' }, model))).toEqual({ assignee: 'not an active member' })
    expect(await fieldsOf(checkPeople(db, { assignee: 'quit1', requester: 'ghost' }, model))).toEqual({ assignee: 'not an active member', requester: 'not a member' })
  })

  it('the database has the last word over the in-memory directory: a member added or activated since is accepted', async () => {
    await member(db, 'just-added', 1)
    await db.query('update members set status = 1 where userid = $1', ['later-active'])
    expect((await checkPeople(db, { assignee: 'JUST-ADDED' }, model)).assignee).toMatchObject({ userid: 'just-added', status: 1 })
    expect((await checkPeople(db, { assignee: 'later-active', requester: 'just-added' }, model)).requester).toMatchObject({ userid: 'just-added', name: 'name of just-added' })
  })

  // ---- normal paths ----------------------------------------------------------------------------

  it("answers with the directory's spelling of the userid and the requester's name, with or without the in-memory directory", async () => {
    for (const m of [model, undefined]) {
      const people = await checkPeople(db, { assignee: 'active1', requester: 'QUIT1' }, m)
      expect(people.assignee).toMatchObject({ userid: 'Active1' })
      // One who has left may still have asked.
      expect(people.requester).toMatchObject({ userid: 'quit1', name: 'name of quit1' })
    }
  })
})
