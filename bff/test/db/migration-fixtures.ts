import { expect } from 'vitest'
import type { Queryable } from '../../src/db'

/**
 * Rows as the code of each schema version wrote them, keyed by the migration file that made
 * that version. `insert` runs right after that migration, so it writes that version's shape;
 * `check` runs at the latest version and finds the rows in their current shape. A new migration
 * adds its entry here (the upgrade test fails for a migration without one); one that reshapes a
 * table updates the checks of the versions whose rows it moves.
 */
export interface Fixture {
  /**
   * Whether instances of the previous build may keep running while this migration lands
   * (`rolling`: it only adds what old code ignores), or must all be stopped first
   * (`stop-the-world`: it renames or drops what old code reads or writes). The README's
   * "Upgrades" lists these.
   */
  upgrade: 'rolling' | 'stop-the-world'
  insert(db: Queryable): Promise<void>
  check(db: Queryable): Promise<void>
}

const T0 = '2026-01-05T08:00:00.000Z'
const T1 = '2026-06-01T09:30:00.000Z'
const iso = (v: unknown) => new Date(v as string).toISOString()

export const fixtures: Record<string, Fixture> = {
  '001-members-sessions.sql': {
    // The first schema: nothing older to run beside it.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into departments (id, name, parent_id, sort_order) values (1, '总部', null, 100), (2, '技术部', 1, 90)`)
      await db.query(
        `insert into members (userid, name, alias, position, avatar, department_ids, main_department, status)
         values ('zhangsan', '张三', 'Zhang', '技术总监', 'https://x.example/a.png', '{1,2}', 2, 1),
                ('wangwu', '王五', null, '', null, '{2}', 2, 5)`,
      )
      await db.query(`insert into role_grants (userid, role, granted_by) values ('zhangsan', 'admin', 'env')`)
      await db.query(
        `insert into sessions (id_hash, userid, corp_id, entry_context, user_agent, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
         values ('h-zhangsan', 'zhangsan', 'ww-corp', 'wecom-mobile', 'UA', $1, $1, $2, $2)`,
        [T0, T1],
      )
      await db.query(`insert into login_states (nonce, browser_hash, return_to, created_at) values ('n-old', 'b1', '/me', $1)`, [T0])
    },
    async check(db) {
      expect(await db.query(`select id, name, parent_id, sort_order::int as sort_order from departments order by id`)).toEqual([
        { id: 1, name: '总部', parent_id: null, sort_order: 100 },
        { id: 2, name: '技术部', parent_id: 1, sort_order: 90 },
      ])
      expect(await db.query(`select userid, name, alias, position, avatar, department_ids, main_department, status from members where userid in ('zhangsan', 'wangwu') order by userid`)).toEqual([
        { userid: 'wangwu', name: '王五', alias: null, position: '', avatar: null, department_ids: [2], main_department: 2, status: 5 },
        { userid: 'zhangsan', name: '张三', alias: 'Zhang', position: '技术总监', avatar: 'https://x.example/a.png', department_ids: [1, 2], main_department: 2, status: 1 },
      ])
      // 005 made grants (kind, target): a userid grant is a member grant.
      expect(await db.query(`select kind, target, role, granted_by from role_grants where granted_by = 'env'`)).toEqual([{ kind: 'member', target: 'zhangsan', role: 'admin', granted_by: 'env' }])
      const [s] = await db.query<Record<string, unknown>>(`select userid, corp_id, entry_context, idle_expires_at, revoked_at from sessions where id_hash = 'h-zhangsan'`)
      expect({ ...s, idle_expires_at: iso(s!.idle_expires_at) }).toEqual({ userid: 'zhangsan', corp_id: 'ww-corp', entry_context: 'wecom-mobile', idle_expires_at: T1, revoked_at: null })
      // 008: a login from before embedding existed was not an embedded one.
      expect(await db.query(`select return_to, embed from login_states where nonce = 'n-old'`)).toEqual([{ return_to: '/me', embed: false }])
    },
  },

  '002-directory.sql': {
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`update members set mobile = '13800000000', email = 'zs@x.example', name_pinyin = 'zhangsan', name_initials = 'zs', sync_hash = 'h1', direct_leaders = '{lisi}' where userid = 'zhangsan'`)
      await db.query(`update departments set leaders = '{zhangsan}', name_en = 'HQ' where id = 1`)
      await db.query(`insert into members (userid, name, status, department_ids, disabled_at) values ('lisi', '李四', 1, '{2}', $1)`, [T1])
      await db.query(`insert into member_departments (userid, department_id, sort_order, is_leader) values ('zhangsan', 2, 10, true), ('lisi', 2, 5, false)`)
      await db.query(`insert into sync_runs (kind, trigger, status, counts) values ('full', 'schedule', 'succeeded', '{"membersAdded":3}')`)
      // A held run an admin confirmed, as builds before 017 marked it.
      await db.query(`insert into sync_runs (kind, trigger, status, hold) values ('full', 'startup', 'cancelled', '{"wouldDisable":145,"activeMembers":223,"maxShare":0.2}')`)
      await db.query(`insert into callback_events (hash, msg_type, event, change_type, payload) values ('cb-1', 'event', 'change_contact', 'update_user', '{"UserID":"lisi"}')`)
      await db.query(`update directory_state set version = 7, synced_at = $1`, [T1])
    },
    async check(db) {
      expect(await db.query(`select mobile, email, name_pinyin, name_initials, sync_hash, direct_leaders from members where userid = 'zhangsan'`)).toEqual([
        { mobile: '13800000000', email: 'zs@x.example', name_pinyin: 'zhangsan', name_initials: 'zs', sync_hash: 'h1', direct_leaders: ['lisi'] },
      ])
      expect(await db.query(`select leaders, name_en from departments where id = 1`)).toEqual([{ leaders: ['zhangsan'], name_en: 'HQ' }])
      expect((await db.query<{ disabled_at: unknown }>(`select disabled_at from members where userid = 'lisi'`)).map((r) => iso(r.disabled_at))).toEqual([T1])
      expect(await db.query(`select userid, sort_order::int as sort_order, is_leader from member_departments where department_id = 2 order by userid`)).toEqual([
        { userid: 'lisi', sort_order: 5, is_leader: false },
        { userid: 'zhangsan', sort_order: 10, is_leader: true },
      ])
      expect(await db.query(`select kind, trigger, status, counts from sync_runs where trigger = 'schedule'`)).toEqual([{ kind: 'full', trigger: 'schedule', status: 'succeeded', counts: { membersAdded: 3 } }])
      // 017: a confirmed held run reads 'confirmed', not 'cancelled'.
      expect(await db.query(`select status, hold from sync_runs where trigger = 'startup'`)).toEqual([{ status: 'confirmed', hold: { wouldDisable: 145, activeMembers: 223, maxShare: 0.2 } }])
      expect(await db.query(`select event, change_type, payload, applied_at from callback_events where hash = 'cb-1'`)).toEqual([{ event: 'change_contact', change_type: 'update_user', payload: { UserID: 'lisi' }, applied_at: null }])
      expect(await db.query(`select version::int as version from directory_state`)).toEqual([{ version: 7 }])
    },
  },

  '003-jsapi-tickets.sql': {
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into jsapi_tickets (key, ticket, expires_at, refresh_at) values ('ww-corp:1000002/corp', 'ticket-1', $1, $1)`, [T1])
    },
    async check(db) {
      const rows = await db.query<{ ticket: string; expires_at: unknown }>(`select ticket, expires_at from jsapi_tickets where key = 'ww-corp:1000002/corp'`)
      expect(rows.map((r) => ({ ...r, expires_at: iso(r.expires_at) }))).toEqual([{ ticket: 'ticket-1', expires_at: T1 }])
    },
  },

  '004-todos-outbox.sql': {
    upgrade: 'rolling',
    async insert(db) {
      const todo = (id: string, assignee: string, source: string, sourceRef: string, origin: string, externalId: string | null, status: string) =>
        db.query(
          `insert into todos (id, assignee, source, source_ref, origin, external_id, title, summary, link, status, requester, due_at, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, '审核采购合同', 'PO 118', 'https://oa.example.com/c/118', $7, 'lisi', $8, $9, $9)`,
          [id, assignee, source, sourceRef, origin, externalId, status, T1, T0],
        )
      await todo('t-approval', 'zhangsan', 'approval', '202612020001:zhangsan', '202612020001', null, 'pending')
      // A host's external id may itself hold ':' (009 splits at the origin, not at the first ':').
      await todo('t-host', 'lisi', 'host', 'oa:urn:po:118', 'oa', 'urn:po:118', 'done')
      await db.query(
        `insert into outbox (dedupe_key, userid, todo_id, message, status, attempts, next_attempt_at, created_at)
         values ('todo:t-approval:new', 'zhangsan', 't-approval', '{"msgtype":"textcard","textcard":{"title":"审核采购合同"}}', 'pending', 2, $1, $2),
                ('todo:t-host:new', 'lisi', 't-host', '{"msgtype":"textcard"}', 'sent', 1, $2, $2)`,
        [T1, T0],
      )
      await db.query(`update members set notify_problem = 'unlicensed', notify_problem_at = $1 where userid = 'lisi'`, [T1])
      await db.query(`update approval_sync_state set scanned_until = $1`, [T1])
    },
    async check(db) {
      // 009 keyed todos by (source, origin, ref): the same rows, the same ids.
      expect(await db.query(`select id, assignee, source, origin, ref, external_id, title, status, requester from todos where id in ('t-approval', 't-host') order by id`)).toEqual([
        { id: 't-approval', assignee: 'zhangsan', source: 'approval', origin: '202612020001', ref: 'zhangsan', external_id: null, title: '审核采购合同', status: 'pending', requester: 'lisi' },
        { id: 't-host', assignee: 'lisi', source: 'host', origin: 'oa', ref: 'urn:po:118', external_id: 'urn:po:118', title: '审核采购合同', status: 'done', requester: 'lisi' },
      ])
      // 024 named what a row is about generically: todo_id became ('todo', id).
      expect(await db.query(`select dedupe_key, userid, ref_kind, ref_id, message, status, attempts from outbox where ref_id in ('t-approval', 't-host') order by dedupe_key`)).toEqual([
        { dedupe_key: 'todo:t-approval:new', userid: 'zhangsan', ref_kind: 'todo', ref_id: 't-approval', message: { msgtype: 'textcard', textcard: { title: '审核采购合同' } }, status: 'pending', attempts: 2 },
        { dedupe_key: 'todo:t-host:new', userid: 'lisi', ref_kind: 'todo', ref_id: 't-host', message: { msgtype: 'textcard' }, status: 'sent', attempts: 1 },
      ])
      expect(await db.query(`select notify_problem from members where userid = 'lisi'`)).toEqual([{ notify_problem: 'unlicensed' }])
      expect((await db.query<{ s: unknown }>(`select scanned_until as s from approval_sync_state`)).map((r) => iso(r.s))).toEqual([T1])
    },
  },

  '005-admin.sql': {
    // role_grants.userid becomes target (and the primary key changes): older builds read userid.
    upgrade: 'stop-the-world',
    async insert(db) {
      await db.query(`insert into settings (key, value, encrypted, updated_at, updated_by) values ('syncCron', '0 0 3 * * ?', false, $1, 'zhangsan'), ('secret', 'iv.ct.tag', true, $1, 'zhangsan')`, [T1])
      await db.query(`update settings_version set version = 3`)
      await db.query(`insert into role_grants (kind, target, role, granted_by) values ('department', '2', 'admin', 'zhangsan')`)
      await db.query(`insert into admin_audit (at, actor, action, target, detail) values ($1, 'zhangsan', 'grant', 'department:2', 'admin')`, [T1])
      await db.query(`insert into verify_files (name, content, uploaded_at, uploaded_by) values ('WW_verify_abc.txt', 'abc', $1, 'zhangsan')`, [T1])
      await db.query(`insert into health_marks (name, at, detail) values ('ip-rejected', $1, '{"ip":"203.0.113.7"}')`, [T1])
    },
    async check(db) {
      expect(await db.query(`select key, value, encrypted, updated_by from settings order by key`)).toEqual([
        { key: 'secret', value: 'iv.ct.tag', encrypted: true, updated_by: 'zhangsan' },
        { key: 'syncCron', value: '0 0 3 * * ?', encrypted: false, updated_by: 'zhangsan' },
      ])
      expect(await db.query(`select version::int as version from settings_version`)).toEqual([{ version: 3 }])
      expect(await db.query(`select kind, target, role from role_grants where kind = 'department'`)).toEqual([{ kind: 'department', target: '2', role: 'admin' }])
      expect(await db.query(`select actor, action, target, detail from admin_audit`)).toEqual([{ actor: 'zhangsan', action: 'grant', target: 'department:2', detail: 'admin' }])
      expect(await db.query(`select content from verify_files where name = 'WW_verify_abc.txt'`)).toEqual([{ content: 'abc' }])
      expect(await db.query(`select detail from health_marks where name = 'ip-rejected'`)).toEqual([{ detail: { ip: '203.0.113.7' } }])
    },
  },

  '008-roles.sql': {
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into login_states (nonce, browser_hash, return_to, created_at, embed) values ('n-embed', 'b2', '/todos', $1, true)`, [T1])
    },
    async check(db) {
      expect(await db.query(`select return_to, embed from login_states where nonce = 'n-embed'`)).toEqual([{ return_to: '/todos', embed: true }])
    },
  },

  '009-todo-keys.sql': {
    // todos.source_ref is dropped: older builds write it.
    upgrade: 'stop-the-world',
    async insert(db) {
      await db.query(
        `insert into todos (id, assignee, source, origin, ref, external_id, title, link, status, created_at, updated_at)
         values ('t-crm', 'zhangsan', 'host', 'crm', 'X-9', 'X-9', '回访客户', 'https://crm.example.com/x/9', 'pending', $1, $1)`,
        [T1],
      )
    },
    async check(db) {
      expect(await db.query(`select source, origin, ref, title, status from todos where id = 't-crm'`)).toEqual([{ source: 'host', origin: 'crm', ref: 'X-9', title: '回访客户', status: 'pending' }])
    },
  },

  '010-directory-staging.sql': {
    // Adds a scratch table only the new sync fills, and drops a foreign key older code never
    // relied on (memberships are written with their member).
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into member_departments (userid, department_id) values ('zhangsan', 1) on conflict do nothing`)
    },
    async check(db) {
      expect(await db.query(`select count(*)::int as n from directory_staging`)).toEqual([{ n: 0 }])
      expect(await db.query(`select count(*)::int as n from member_departments where userid = 'zhangsan' and department_id = 1`)).toEqual([{ n: 1 }])
      const fks = await db.query(`select conname from pg_constraint where conrelid = 'member_departments'::regclass and contype = 'f'`)
      expect(fks).toEqual([])
    },
  },

  '011-rate-budget.sql': {
    // A new table: older instances keep pacing in memory (not shared) until they are replaced.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into rate_buckets (key, slot_ms, head, used, expires_at) values ('member:lisi:m', 2000, 100, '{3}', 9999999999999)`)
    },
    async check(db) {
      expect(await db.query(`select key, slot_ms, head::int as head, used from rate_buckets where key = 'member:lisi:m'`)).toEqual([{ key: 'member:lisi:m', slot_ms: 2000, head: 100, used: [3] }])
    },
  },

  '012-callback-batches.sql': {
    // Nullable columns and indexes; pending events of older builds get their subject.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(
        `insert into callback_events (hash, msg_type, event, change_type, payload, subject, retry_at)
         values ('cb-12', 'event', 'change_contact', 'update_user', '{"fields":{"UserID":"LiSi"}}', 'user:lisi', $1)`,
        [T1],
      )
    },
    async check(db) {
      const [row] = await db.query<Record<string, unknown>>(`select subject, retry_at, applied_at from callback_events where hash = 'cb-12'`)
      expect({ ...row, retry_at: iso(row!.retry_at) }).toEqual({ subject: 'user:lisi', retry_at: T1, applied_at: null })
    },
  },

  '013-members-userid-lower.sql': {
    // An index only.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(
        `insert into members (userid, name, alias, position, avatar, department_ids, main_department, status)
         values ('ZhaoLiu', '赵六', null, '', null, '{1}', 1, 1)`,
      )
    },
    async check(db) {
      expect(await db.query(`select userid from members where lower(userid) = 'zhaoliu'`)).toEqual([{ userid: 'ZhaoLiu' }])
    },
  },

  '017-sync-confirmed.sql': {
    // Widens a check and relabels confirmed held runs. Older builds still write 'cancelled' when
    // they confirm, which stays allowed; they show a 'confirmed' run without a label until replaced.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into sync_runs (kind, trigger, status, hold) values ('force', 'cli', 'confirmed', '{"wouldDisable":152,"members":230,"maxShare":0.2,"confirmedBy":9}')`)
    },
    async check(db) {
      expect(await db.query(`select status, hold from sync_runs where trigger = 'cli'`)).toEqual([{ status: 'confirmed', hold: { wouldDisable: 152, members: 230, maxShare: 0.2, confirmedBy: 9 } }])
    },
  },

  '018-todo-cards.sql': {
    // Columns with defaults or nullable, an index and a new table: older builds neither read nor miss them.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(
        `insert into outbox (dedupe_key, userid, todo_id, message, status, attempts, next_attempt_at, created_at)
         values ('todo:t-18:new', 'lisi', 't-18', '{"msgtype":"textcard","textcard":{"title":"待办","description":"x","url":"https://a.example/t"}}', 'sent', 1, $1, $1)`,
        [T1],
      )
    },
    async check(db) {
      expect(await db.query(`select dedupe_key, kind, card_of, task_id, response_code, ref_kind, ref_id from outbox where dedupe_key = 'todo:t-18:new'`)).toEqual([
        { dedupe_key: 'todo:t-18:new', kind: 'send', card_of: null, task_id: null, response_code: null, ref_kind: 'todo', ref_id: 't-18' },
      ])
      expect(await db.query('select count(*)::int as n from card_events')).toEqual([{ n: 0 }])
    },
  },

  '021-member-contacts.sql': {
    // Adds two tables and a nullable column: older code neither reads nor misses them.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(
        `insert into member_contacts (userid, mobile, email, biz_mail, avatar, gender, address, consented_at)
         values ('lisi', '13900000001', 'lisi@example.com', null, 'https://x.example/l.png', 2, '深圳市南山区', $1)`,
        [T0],
      )
      await db.query(`insert into member_contact_prompts (userid, decision, decided_at) values ('lisi', 'consented', $1), ('zhouba', 'dismissed', $1)`, [T0])
      await db.query(`insert into login_states (nonce, browser_hash, return_to, created_at, consent_for) values ('n-consent', 'b2', '/me', $1, 'lisi')`, [T0])
    },
    async check(db) {
      const [c] = await db.query<Record<string, unknown>>(`select userid, mobile, email, biz_mail, avatar, gender, address, consented_at from member_contacts where userid = 'lisi'`)
      expect({ ...c, consented_at: iso(c!.consented_at) }).toEqual({
        userid: 'lisi', mobile: '13900000001', email: 'lisi@example.com', biz_mail: null, avatar: 'https://x.example/l.png', gender: 2, address: '深圳市南山区', consented_at: T0,
      })
      expect(await db.query(`select userid, decision from member_contact_prompts order by userid`)).toEqual([
        { userid: 'lisi', decision: 'consented' },
        { userid: 'zhouba', decision: 'dismissed' },
      ])
      expect(await db.query(`select consent_for from login_states where nonce = 'n-consent'`)).toEqual([{ consent_for: 'lisi' }])
    },
  },

  '023-callback-retries.sql': {
    // Adds `retries` and `plaintext` and lets `payload` be null: the new build writes only the
    // XML, which an older worker cannot read (it reads `payload`), so the old ones stop first.
    upgrade: 'stop-the-world',
    async insert(db) {
      await db.query(
        `insert into callback_events (hash, msg_type, event, change_type, subject, plaintext, retries)
         values ('cb-23', 'event', 'change_contact', 'delete_user', 'user:zhaoliu', '<xml><UserID>zhaoliu</UserID></xml>', 2)`,
      )
    },
    async check(db) {
      expect(await db.query(`select payload, plaintext, attempts, retries from callback_events where hash = 'cb-23'`)).toEqual([
        { payload: null, plaintext: '<xml><UserID>zhaoliu</UserID></xml>', attempts: 0, retries: 2 },
      ])
      // An older build's event (when the upgrade started at 012 or before): its jsonb payload kept, no transient failures.
      for (const row of await db.query(`select payload, plaintext, retries from callback_events where hash = 'cb-12'`)) {
        expect(row).toEqual({ payload: { fields: { UserID: 'LiSi' } }, plaintext: null, retries: 0 })
      }
    },
  },

  '024-outbox-ref.sql': {
    // Renames outbox.todo_id to ref_id (with ref_kind): older builds write and read todo_id, so
    // their todo writes (which queue cards in the same transaction) and card updates would fail.
    upgrade: 'stop-the-world',
    async insert(db) {
      await db.query(
        `insert into outbox (dedupe_key, userid, ref_kind, ref_id, message, task_id, status, next_attempt_at, created_at)
         values ('todo:t-24:new', 'lisi', 'todo', 't-24', '{"msgtype":"text","text":{"content":"x"}}', 'todo-t-24-new', 'sent', $1, $1),
                ('host:oa:notify:b24:lisi', 'lisi', null, null, '{"msgtype":"text","text":{"content":"y"}}', null, 'pending', $1, $1)`,
        [T1],
      )
    },
    async check(db) {
      expect(await db.query(`select dedupe_key, ref_kind, ref_id, task_id from outbox where dedupe_key in ('todo:t-24:new', 'host:oa:notify:b24:lisi') order by dedupe_key`)).toEqual([
        { dedupe_key: 'host:oa:notify:b24:lisi', ref_kind: null, ref_id: null, task_id: null },
        { dedupe_key: 'todo:t-24:new', ref_kind: 'todo', ref_id: 't-24', task_id: 'todo-t-24-new' },
      ])
      // Half a reference is refused.
      await expect(db.query(`insert into outbox (dedupe_key, userid, ref_kind, message, next_attempt_at, created_at) values ('half', 'lisi', 'todo', '{}', $1, $1)`, [T1])).rejects.toThrow()
    },
  },
  '025-rate-take-prune-order.sql': {
    // Replaces rate_take with the same signature and answers (it only prunes later): older
    // builds call it as before.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into rate_buckets (key, slot_ms, head, used, expires_at) values ('api:x@62000/2000', 2000, 100, '{3}', 1)`)
    },
    async check(db) {
      // An expired budget is pruned by a take that names other keys, and the take still grants.
      const [row] = await db.query<{ granted: number }>(
        `select granted from rate_take(1000000, '{api:y@62000/2000}', '{1}', '{62000}', '{2000}', '{30}', '{2}', true)`,
      )
      expect(row).toEqual({ granted: 2 })
      expect(await db.query(`select key from rate_buckets where key in ('api:x@62000/2000', 'api:y@62000/2000') order by key`)).toEqual([{ key: 'api:y@62000/2000' }])
    },
  },
  '026-retention.sql': {
    // Only indexes for the daily retention run: older builds ignore them (and prune nothing).
    upgrade: 'rolling',
    async insert(db) {
      await db.query(
        `insert into sessions (id_hash, userid, corp_id, entry_context, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
         values ('h-26', 'lisi', 'ww-corp', 'browser', $1, $1, $1, $2)`,
        [T0, T1],
      )
      await db.query(`insert into callback_events (hash, msg_type, event, plaintext, applied_at) values ('cb-26', 'event', 'change_contact', '<xml/>', $1)`, [T1])
    },
    async check(db) {
      expect(await db.query(`select userid from sessions where id_hash = 'h-26'`)).toEqual([{ userid: 'lisi' }])
      expect(await db.query(`select hash from callback_events where hash = 'cb-26'`)).toEqual([{ hash: 'cb-26' }])
      expect(
        await db.query(`select indexname from pg_indexes where schemaname = current_schema() and indexname in ('sessions_absolute_expires', 'callback_events_applied') order by indexname`),
      ).toEqual([{ indexname: 'callback_events_applied' }, { indexname: 'sessions_absolute_expires' }])
    },
  },
  '027-outbox-created.sql': {
    // Only an index for the doctor's digest of the last 24 hours: older builds ignore it.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(
        `insert into outbox (dedupe_key, userid, message, status, next_attempt_at, created_at, sent_at) values ('host:oa:notify:b27:lisi', 'lisi', '{"msgtype":"text","text":{"content":"z"}}', 'sent', $1, $1, $1)`,
        [T1],
      )
    },
    async check(db) {
      expect(await db.query(`select status from outbox where dedupe_key = 'host:oa:notify:b27:lisi'`)).toEqual([{ status: 'sent' }])
      expect(await db.query(`select indexname from pg_indexes where schemaname = current_schema() and indexname = 'outbox_created'`)).toEqual([{ indexname: 'outbox_created' }])
    },
  },
  '028-members-written-xid.sql': {
    // A nullable column with a default and a trigger: older builds' member writes are stamped too.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`insert into members (userid, name, status) values ('m-28', '旧成员', 1), ('m-28b', '旧成员乙', 1)`)
    },
    async check(db) {
      // Every write is stamped with its transaction: an insert from the default, an update by the trigger.
      expect(await db.query(`select userid from members where userid like 'm-28%' and written_xid is null`)).toEqual([])
      // A transaction id of its own, after the fixture's writes and before these (the snapshot's
      // xmin would do only with no other transaction open on the server: not so beside other tests).
      const [since] = await db.query<{ xid: string }>(`select pg_current_xact_id()::text as xid`)
      await db.query(`update members set position = '改' where userid = 'm-28b'`)
      await db.query(`insert into members (userid, name, status) values ('m-28c', '新成员', 1)`)
      expect(await db.query(`select userid from members where written_xid > $1::xid8 and userid like 'm-28%' order by userid`, [since!.xid])).toEqual([{ userid: 'm-28b' }, { userid: 'm-28c' }])
    },
  },
  '029-approval-catch-up.sql': {
    // Columns with defaults and an index: older builds neither read nor write them (their catch-up ignores the claim).
    upgrade: 'rolling',
    async insert(db) {
      await db.query(`update approval_sync_state set scanned_until = $1 where id = 1`, [T1])
      await db.query(
        `insert into todos (id, assignee, source, origin, ref, title, link, status, created_at, updated_at) values
           ('t-29a', 'lisi', 'approval', 'sp-29', 'lisi', '请假', 'https://x.example/a', 'pending', $1, $1),
           ('t-29b', 'wangwu', 'approval', 'sp-29', 'wangwu', '请假', 'https://x.example/a', 'done', $1, $1)`,
        [T1],
      )
    },
    async check(db) {
      expect((await db.query<{ s: Date }>(`select scanned_until as s from approval_sync_state`)).map((r) => iso(r.s))).toEqual([T1])
      expect(await db.query(`select open_cursor, lease_holder, lease_until from approval_sync_state`)).toEqual([{ open_cursor: '', lease_holder: null, lease_until: null }])
      expect(await db.query(`select distinct origin from todos where source = 'approval' and status = 'pending' and origin = 'sp-29'`)).toEqual([{ origin: 'sp-29' }])
      expect(await db.query(`select indexname from pg_indexes where schemaname = current_schema() and indexname = 'todos_open_approvals'`)).toEqual([{ indexname: 'todos_open_approvals' }])
    },
  },
  '030-role-grants-member.sql': {
    // Only an index: older builds neither know nor mind it.
    upgrade: 'rolling',
    // No rows of its own: 001's check reads every grant, and the grants it made are looked up through the index.
    async insert() {},
    async check(db) {
      expect(await db.query(`select indexname from pg_indexes where schemaname = current_schema() and indexname = 'role_grants_member_lower'`)).toEqual([{ indexname: 'role_grants_member_lower' }])
    },
  },
  '031-outbox-send-groups.sql': {
    // A nullable column and two indexes. Older builds never set send_group and send a grouped row
    // alone, as they sent every row; a row is still claimed (locked) by one instance at a time.
    upgrade: 'rolling',
    async insert(db) {
      await db.query(
        `insert into outbox (dedupe_key, userid, message, status, next_attempt_at, created_at)
         values ('host:oa:notify:b31:lisi', 'lisi', '{"msgtype":"text","text":{"content":"z"}}', 'pending', $1, $1)`,
        [T1],
      )
    },
    async check(db) {
      // A row queued before it is sent alone, as it was queued to be.
      expect(await db.query(`select send_group from outbox where dedupe_key = 'host:oa:notify:b31:lisi'`)).toEqual([{ send_group: null }])
      expect(await db.query(`select indexname from pg_indexes where schemaname = current_schema() and indexname like 'outbox_group%' order by 1`)).toEqual([
        { indexname: 'outbox_group_rows' },
        { indexname: 'outbox_groups_due' },
      ])
    },
  },
  '032-rate-take-slices.sql': {
    // Replaces rate_take with the same signature and answers (it computes them with less work):
    // older builds call it as before, and each reads the rows the other wrote.
    upgrade: 'rolling',
    async insert(db) {
      // As the function before wrote it: 32 two-second slots up to slot 500, 4 units in the last.
      await db.query(
        `insert into rate_buckets (key, slot_ms, head, used, expires_at) values ('api:z@62000/2000', 2000, 500, array_fill(0, array[31]) || 4, 1064000)`,
      )
    },
    async check(db) {
      // 4 of 5 used: 1 of the 3 wanted is granted, the rest once the 4 (and the new 1) have left the window.
      expect(
        await db.query(`select granted, free_at::float8 as free_at from rate_take(1000000, '{api:z@62000/2000}', '{1}', '{62000}', '{2000}', '{5}', '{3}', false)`),
      ).toEqual([{ granted: 1, free_at: 1064000 }])
      expect(await db.query(`select head::float8 as head, used[31:32] as last from rate_buckets where key = 'api:z@62000/2000'`)).toEqual([{ head: 500, last: [0, 5] }])
    },
  },
}
