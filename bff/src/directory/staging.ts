import type { Queryable, Tx } from '../db'
import { memberHash } from './diff'
import type { MemberRecord } from './member-store'
import { searchKeys } from './search-keys'

type SearchKeys = ReturnType<typeof searchKeys>

/** Rows per insert into the staging table: big enough to be cheap per row, small in memory. */
export const STAGE_BATCH = 1000

const STAGED_COLUMNS =
  'userid, name, alias, position, avatar, department_ids, main_department, status, gender, mobile, telephone, email, biz_mail, direct_leaders, name_pinyin, name_initials, sync_hash'

/** Each column's array type in the insert, in the order `columns` gives them ($2 … $20). */
const STAGE_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'int', 'smallint', 'smallint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'] as const
const STAGE_COLUMN_COUNT = STAGE_TYPES.length

const STAGE_INSERT = `insert into directory_staging (run_id, ${STAGED_COLUMNS}, department_orders, department_leads)
  select $1, userid, name, alias, position, avatar, department_ids::int[], main_department, status, gender, mobile, telephone,
    email, biz_mail, direct_leaders::text[], name_pinyin, name_initials, sync_hash, department_orders::bigint[], department_leads::boolean[]
    from unnest(${STAGE_TYPES.map((t, i) => `$${i + 2}::${t}[]`).join(', ')})
      as x(${STAGED_COLUMNS}, department_orders, department_leads)`

/**
 * A PostgreSQL array literal (`{1,2}`, `{"a","b"}`): each element quoted, `"` and `\` escaped, so
 * any text survives the cast.
 */
export function arrayLiteral(values: readonly (string | number | boolean)[]): string {
  return `{${values.map((v) => (typeof v === 'string' ? `"${v.replace(/[\\"]/g, '\\$&')}"` : String(v))).join(',')}}`
}

/**
 * The members a sync run found new or changed, written to `directory_staging` as WeCom's pages
 * arrive (in batches, one write at a time, so the read waits when the database falls behind) and
 * merged into `members` by set-based SQL once the whole read succeeded. Only the sync leader uses
 * the table; `clear` empties it at the start and at the end of every run.
 */
export class Staging {
  private buffer: MemberRecord[] = []
  private writing: Promise<void> = Promise.resolve()
  private failed: unknown
  /** Pinyin keys by name: common names repeat thousands of times in a large corp. */
  private readonly keys = new Map<string, SearchKeys>()

  constructor(
    private readonly db: Queryable,
    private readonly runId: number,
    private readonly batch = STAGE_BATCH,
  ) {}

  /**
   * Empties the table: at a run's start (what a dead process left is never merged) and at its
   * end. TRUNCATE gives the space back at once but costs ~150 ms on PGlite, so only when needed.
   */
  static async clear(db: Queryable): Promise<void> {
    const [row] = await db.query<{ any: boolean }>('select exists (select 1 from directory_staging) as any')
    if (row?.any) await db.query('truncate directory_staging')
  }

  /** Queues members for the table; resolves once the buffer is small again (backpressure). */
  async add(members: MemberRecord[]): Promise<void> {
    if (this.failed !== undefined) throw this.failed
    this.buffer.push(...members)
    if (this.buffer.length < this.batch) return
    // Wait for the write queued before this one, not for this one: the reader goes on while its
    // batch is written, and still waits whenever the database falls a batch behind.
    const before = this.writing
    void this.flushBuffer()
    await before
  }

  /** Writes what is buffered and waits for every write; rejects if any failed. */
  async flush(): Promise<void> {
    await this.flushBuffer()
    if (this.failed !== undefined) throw this.failed
  }

  /** Resolves once no write is in flight (a failed run waits for this before clearing the table). */
  async settled(): Promise<void> {
    await this.writing
  }

  private flushBuffer(): Promise<void> {
    if (!this.buffer.length) return this.writing
    const batch = this.buffer
    this.buffer = []
    this.writing = this.writing.then(async () => {
      if (this.failed !== undefined) return
      try {
        await this.db.query(STAGE_INSERT, [this.runId, ...this.columns(batch)])
      } catch (e) {
        this.failed = e
      }
    })
    return this.writing
  }

  /**
   * The batch as one array per column, for `unnest`: PostgreSQL reads twenty flat arrays several
   * times faster than the same rows as JSON (json_to_recordset: 34 against 9 ms per 1,000 members,
   * measured). The per-member arrays travel as array literals, cast in the statement.
   */
  private columns(batch: MemberRecord[]): unknown[][] {
    const cols: unknown[][] = Array.from({ length: STAGE_COLUMN_COUNT }, () => new Array<unknown>(batch.length))
    batch.forEach((m, i) => {
      let keys = this.keys.get(m.name)
      if (!keys) this.keys.set(m.name, (keys = searchKeys(m.name)))
      const values = [
        m.userid,
        m.name,
        m.alias ?? null,
        m.position,
        m.avatar ?? null,
        arrayLiteral(m.departments.map((d) => d.departmentId)),
        m.mainDepartment ?? null,
        m.status,
        m.gender ?? null,
        m.mobile ?? null,
        m.telephone ?? null,
        m.email ?? null,
        m.bizMail ?? null,
        arrayLiteral(m.directLeaders),
        keys.pinyin,
        keys.initials,
        memberHash(m),
        arrayLiteral(m.departments.map((d) => d.order)),
        arrayLiteral(m.departments.map((d) => d.isLeader)),
      ]
      for (let c = 0; c < STAGE_COLUMN_COUNT; c++) cols[c]![i] = values[c]
    })
    return cols
  }

  /**
   * Moves this run's staged members into `members` (insert or replace, disabled_at cleared) and
   * rebuilds their department memberships. Returns the member rows written. Run it in the
   * transaction that writes the rest of the run.
   */
  async merge(tx: Tx, now: Date): Promise<number> {
    const [written] = await tx.query<{ n: string | number }>(
      `with w as (insert into members (${STAGED_COLUMNS}, created_at, updated_at, disabled_at)
       select ${STAGED_COLUMNS}, $2, $2, null from directory_staging where run_id = $1
       on conflict (userid) do update set name = excluded.name, alias = excluded.alias, position = excluded.position,
         avatar = excluded.avatar, department_ids = excluded.department_ids, main_department = excluded.main_department,
         status = excluded.status, gender = excluded.gender, mobile = excluded.mobile, telephone = excluded.telephone,
         email = excluded.email, biz_mail = excluded.biz_mail, direct_leaders = excluded.direct_leaders,
         name_pinyin = excluded.name_pinyin, name_initials = excluded.name_initials, sync_hash = excluded.sync_hash,
         updated_at = $2, disabled_at = null
       returning 1) select count(*) as n from w`,
      [this.runId, now],
    )
    await tx.query('delete from member_departments md using directory_staging s where s.run_id = $1 and md.userid = s.userid', [this.runId])
    await tx.query(
      `insert into member_departments (userid, department_id, sort_order, is_leader)
       select s.userid, d.department_id, d.sort_order, d.is_leader
         from directory_staging s, unnest(s.department_ids, s.department_orders, s.department_leads) as d(department_id, sort_order, is_leader)
        where s.run_id = $1
       on conflict do nothing`,
      [this.runId],
    )
    return Number(written!.n)
  }
}
