import type { Tx } from '../db'
import { memberHash } from './diff'
import type { DepartmentRecord, MemberRecord } from './member-store'
import { searchKeys } from './search-keys'

const BATCH = 1000

/** Marks departments WeCom no longer shows as removed; returns how many rows changed. */
export async function removeDepartments(tx: Tx, ids: number[], now: Date): Promise<number> {
  let rows = 0
  for (const batch of chunks(ids)) {
    rows += (await tx.query('update departments set removed_at = $2, updated_at = $2 where id = any($1) and removed_at is null returning 1', [batch, now])).length
  }
  return rows
}

/** Disables members a complete read no longer saw (never deletes them); returns how many rows changed. */
export async function disableMembers(tx: Tx, userids: string[], now: Date): Promise<number> {
  let rows = 0
  for (const batch of chunks(userids)) {
    rows += (await tx.query('update members set disabled_at = $2, updated_at = $2 where userid = any($1) and disabled_at is null returning 1', [batch, now])).length
  }
  return rows
}

export async function upsertDepartments(tx: Tx, deps: DepartmentRecord[], now: Date): Promise<number> {
  let rows = 0
  for (const batch of chunks(deps)) {
    const json = batch.map((d) => ({ id: d.id, name: d.name, name_en: d.nameEn ?? null, parent_id: d.parentId ?? null, sort_order: d.order, leaders: d.leaders }))
    rows += (
      await tx.query(
        `insert into departments (id, name, name_en, parent_id, sort_order, leaders, created_at, updated_at, removed_at)
         select id, name, name_en, parent_id, sort_order, leaders, $2, $2, null
           from jsonb_to_recordset($1::jsonb) as x(id int, name text, name_en text, parent_id int, sort_order bigint, leaders text[])
         on conflict (id) do update set name = excluded.name, name_en = excluded.name_en, parent_id = excluded.parent_id,
           sort_order = excluded.sort_order, leaders = excluded.leaders, updated_at = $2, removed_at = null
         returning 1`,
        [JSON.stringify(json), now],
      )
    ).length
  }
  return rows
}

/** Inserts or replaces members and their department memberships; clears disabled_at. */
export async function upsertMembers(tx: Tx, members: MemberRecord[], now: Date): Promise<number> {
  let rows = 0
  for (const batch of chunks(members)) {
    const json = batch.map((m) => memberColumns.json(m))
    rows += (
      await tx.query(
        `insert into members (userid, name, alias, position, avatar, department_ids, main_department, status, gender, mobile, telephone,
           email, biz_mail, direct_leaders, name_pinyin, name_initials, sync_hash, created_at, updated_at, disabled_at)
         select userid, name, alias, position, avatar, department_ids, main_department, status, gender, mobile, telephone,
           email, biz_mail, direct_leaders, name_pinyin, name_initials, sync_hash, $2, $2, null
           from jsonb_to_recordset($1::jsonb) as x(${memberColumns.typed})
         on conflict (userid) do update set name = excluded.name, alias = excluded.alias, position = excluded.position,
           avatar = excluded.avatar, department_ids = excluded.department_ids, main_department = excluded.main_department,
           status = excluded.status, gender = excluded.gender, mobile = excluded.mobile, telephone = excluded.telephone,
           email = excluded.email, biz_mail = excluded.biz_mail, direct_leaders = excluded.direct_leaders,
           name_pinyin = excluded.name_pinyin, name_initials = excluded.name_initials, sync_hash = excluded.sync_hash,
           updated_at = $2, disabled_at = null
         returning 1`,
        [JSON.stringify(json), now],
      )
    ).length
    await tx.query('delete from member_departments where userid = any($1)', [batch.map((m) => m.userid)])
    const ms = batch.flatMap((m) => m.departments.map((d) => ({ userid: m.userid, department_id: d.departmentId, sort_order: d.order, is_leader: d.isLeader })))
    if (ms.length) {
      await tx.query(
        `insert into member_departments (userid, department_id, sort_order, is_leader)
         select userid, department_id, sort_order, is_leader
           from jsonb_to_recordset($1::jsonb) as x(userid text, department_id int, sort_order bigint, is_leader boolean)
         on conflict do nothing`,
        [JSON.stringify(ms)],
      )
    }
  }
  return rows
}

/** A member as the columns of `members` (search keys and sync hash computed here), for jsonb_to_recordset. */
export const memberColumns = {
  typed:
    'userid text, name text, alias text, position text, avatar text, department_ids int[], main_department int, status smallint, gender smallint, ' +
    'mobile text, telephone text, email text, biz_mail text, direct_leaders text[], name_pinyin text, name_initials text, sync_hash text',
  json(m: MemberRecord, keys = searchKeys(m.name)) {
    return {
      userid: m.userid,
      name: m.name,
      alias: m.alias ?? null,
      position: m.position,
      avatar: m.avatar ?? null,
      department_ids: m.departments.map((d) => d.departmentId),
      main_department: m.mainDepartment ?? null,
      status: m.status,
      gender: m.gender ?? null,
      mobile: m.mobile ?? null,
      telephone: m.telephone ?? null,
      email: m.email ?? null,
      biz_mail: m.bizMail ?? null,
      direct_leaders: m.directLeaders,
      name_pinyin: keys.pinyin,
      name_initials: keys.initials,
      sync_hash: memberHash(m),
    }
  },
}

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
