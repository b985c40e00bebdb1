import type { PrincipalCache } from '../auth/principal-cache'
import { REREAD_FIELD } from '../callbacks/inbox'
import { endMembersSessions } from '../auth/sessions'
import type { Db, Tx } from '../db'
import type { Logger } from '../log'
import type { ApiLimiter } from '../rate/api-limiter'
import type { DirectoryReadModel } from './read-model'
import { DatabaseUnavailableError, isUnavailable } from '../db/unavailable'
import { WeComError, type WeComClient } from '../wecom'
import { upsertDepartments, upsertMembers } from './apply-diff'
import { departmentFromWeCom, memberFromWeCom } from './from-wecom'
import { memberFromCreateEvent, memberWithUpdateEvent } from './member-event'
import { disableMembers, getMembers, type DepartmentRecord, type MemberRecord } from './member-store'
import { mapLimit } from './pacing'
import { bumpDirectoryVersion } from './version'

/** A decrypted `change_contact` event: ChangeType plus its fields (https://developer.work.weixin.qq.com/document/path/90970). */
export interface ContactChange {
  changeType: string
  fields: Record<string, unknown>
}

// WeCom's answers for "no such member/department (any more), or not visible to this app".
const GONE = new Set([60111, 60011, 60123, 40003, 50002, 60003])
/** Re-reads in flight at once: half the WeCom pool (32), so sign-ins still find connections. */
const READS_IN_FLIGHT = 16

type DeptJob = { kind: 'refresh' | 'remove'; events: number[]; record?: DepartmentRecord }
/** `event`: the record comes from the events themselves; `refresh`: read back from WeCom. */
type MemberJob = { userid: string; kind: 'refresh' | 'disable' | 'event'; events: number[]; record?: MemberRecord }

/**
 * Applies contact changes, a batch at a time, in arrival order. A create_user that carries every
 * field the directory keeps is stored as it says, and an update_user's changed fields are laid
 * over the member as stored (or as created earlier in the batch), with no WeCom read; otherwise
 * (fields missing, departments changed, a new UserID, departments' events) the member or
 * department is re-read from WeCom and stored whole; one that is gone is disabled (members) or
 * marked removed (departments), never deleted. Since a re-read gives the latest state, only the
 * last event of each member or department in the batch decides what happens to it (created,
 * edited twice, then deleted → disabled, with no read at all): one read each at most, one
 * transaction and one directory version for the whole batch. Resolves to one
 * entry per event, undefined when applied, else the error (a failed read fails only the events
 * of that member or department).
 * https://developer.work.weixin.qq.com/document/path/90970
 */
export interface ContactChangeNeeds {
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  principals: PrincipalCache
  readModel: DirectoryReadModel
  apiLimiter: ApiLimiter
}

export function contactChangeHandler(deps: ContactChangeNeeds) {
  const { db, wecom, now, log, apiLimiter } = deps
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '')

  return async (batch: ContactChange[]): Promise<unknown[]> => {
    const errors: unknown[] = batch.map(() => undefined)
    const members = new Map<string, MemberJob>()
    const departments = new Map<number, DeptJob>()
    const member = (userid: string, kind: MemberJob['kind'], i: number, record?: MemberRecord) => {
      const job = members.get(userid.toLowerCase())
      if (job) Object.assign(job, { userid, kind, record }).events.push(i)
      else members.set(userid.toLowerCase(), { userid, kind, events: [i], record })
    }
    // An update_user is laid over the member as stored: one query for the batch.
    const updated = batch.filter((e) => e.changeType === 'update_user' && !text(e.fields.NewUserID)).map((e) => text(e.fields.UserID))
    const stored = await getMembers(db, updated.filter(Boolean))
    /** The member as the events so far leave it, when they (and the store) say enough. */
    const known = (userid: string): MemberRecord | undefined => {
      const job = members.get(userid.toLowerCase())
      if (job) return job.kind === 'event' ? job.record : undefined
      const m = stored.get(userid.toLowerCase())
      return m && !m.disabledAt ? m : undefined
    }
    const department = (id: number, kind: DeptJob['kind'], i: number) => {
      const job = departments.get(id)
      if (job) Object.assign(job, { kind }).events.push(i)
      else departments.set(id, { kind, events: [i] })
    }

    for (const [i, e] of batch.entries()) {
      const userid = text(e.fields.UserID)
      const partyId = Number(text(e.fields.Id))
      // A repeat the inbox could not tell from a WeCom retry (callbacks/inbox.ts): whatever it
      // says, WeCom's current state decides.
      if (e.fields[REREAD_FIELD] !== undefined) {
        if (e.changeType.endsWith('_user') && userid) member(userid, 'refresh', i)
        else if (e.changeType.endsWith('_party') && Number.isInteger(partyId) && text(e.fields.Id)) department(partyId, 'refresh', i)
        else errors[i] = new Error(`a re-read of ${e.changeType} without UserID or Id`)
        continue
      }
      switch (e.changeType) {
        case 'create_user':
        case 'update_user': {
          if (!userid) {
            errors[i] = new Error(`${e.changeType} without UserID`)
            break
          }
          const renamed = text(e.fields.NewUserID)
          if (renamed && renamed.toLowerCase() !== userid.toLowerCase()) {
            member(userid, 'disable', i)
            member(renamed, 'refresh', i)
            break
          }
          const base = e.changeType === 'update_user' ? known(userid) : undefined
          const record = e.changeType === 'create_user' ? memberFromCreateEvent(userid, e.fields) : base && memberWithUpdateEvent(base, e.fields)
          if (record) member(userid, 'event', i, record)
          else member(userid, 'refresh', i)
          break
        }
        case 'delete_user':
          if (!userid) errors[i] = new Error('delete_user without UserID')
          else member(userid, 'disable', i)
          break
        case 'create_party':
        case 'update_party':
        case 'delete_party':
          if (!text(e.fields.Id) || !Number.isInteger(partyId)) errors[i] = new Error(`${e.changeType} without Id`)
          else department(partyId, e.changeType === 'delete_party' ? 'remove' : 'refresh', i)
          break
        default:
          log.info('contact change ignored', { changeType: e.changeType })
      }
    }

    const fail = (events: number[], err: unknown) => {
      for (const i of events) errors[i] ??= err
    }
    // Re-read what was created or changed; a read that fails fails only that one's events.
    // Each read catches its own failure, so the batch never rejects. Members and departments
    // share one pool: a batch's department reads do not wait for the last member read (measured
    // on PostgreSQL, a batch's time after a burst is mostly waiting for these reads).
    const readMember = async (job: MemberJob) => {
      try {
        await apiLimiter.take('/cgi-bin/user/get')
        job.record = memberFromWeCom(await wecom.getUser(job.userid))
      } catch (e) {
        if (e instanceof WeComError && GONE.has(e.errcode)) job.kind = 'disable'
        else fail(job.events, e)
      }
    }
    const readDepartment = async ([id, job]: [number, DeptJob]) => {
      try {
        await apiLimiter.take('/cgi-bin/department/get')
        job.record = departmentFromWeCom(await wecom.getDepartment(id))
      } catch (e) {
        if (e instanceof WeComError && GONE.has(e.errcode)) job.kind = 'remove'
        else fail(job.events, e)
      }
    }
    const reads = [
      ...[...members.values()].filter((j) => j.kind === 'refresh').map((j) => () => readMember(j)),
      ...[...departments.entries()].filter(([, j]) => j.kind === 'refresh').map((e) => () => readDepartment(e)),
    ]
    await mapLimit(reads, READS_IN_FLIGHT, (read) => read())

    const ok = <J extends { events: number[] }>(j: J) => j.events.every((i) => errors[i] === undefined)
    const memberJobs = [...members.values()].filter(ok)
    const deptJobs = [...departments.entries()].filter(([, j]) => ok(j))
    let written: { ended: string[] }
    try {
      written = await db.transaction((tx) => write(tx, memberJobs, deptJobs))
    } catch (batchError) {
      // The database is away: every event fails with it (a transient failure, retried later).
      if (batchError instanceof DatabaseUnavailableError || isUnavailable(batchError)) {
        for (const j of [...memberJobs, ...deptJobs.map(([, d]) => d)]) fail(j.events, batchError)
        return errors
      }
      // Something in the batch cannot be written: each member and department on its own, so
      // that one bad row fails only its own events.
      log.warn('contact changes: batch write failed; writing one by one', { err: batchError })
      written = { ended: [] }
      for (const job of memberJobs) {
        try {
          written.ended.push(...(await db.transaction((tx) => write(tx, [job], []))).ended)
        } catch (e) {
          fail(job.events, e)
        }
      }
      for (const entry of deptJobs) {
        try {
          await db.transaction((tx) => write(tx, [], [entry]))
        } catch (e) {
          fail(entry[1].events, e)
        }
      }
    }
    if (written.ended.length) {
      try {
        await endMembersSessions(deps, written.ended)
      } catch (e) {
        // Stored, but their sessions live on: try the events again (applying them twice is harmless).
        fail(memberJobs.filter((j) => written.ended.includes(j.record?.userid ?? j.userid)).flatMap((j) => j.events), e)
      }
    }
    // Not waited for: at 100k members a rebuild takes seconds, and a callback reports an edit made
    // in WeCom moments ago that no one here is waiting to read, so no request is held for it.
    if (memberJobs.length || deptJobs.length) deps.readModel.invalidate({ wait: false })
    return errors
  }

  /** One transaction's worth; returns the members whose sessions must end (disabled, or no longer active). */
  async function write(tx: Tx, memberJobs: MemberJob[], deptJobs: Array<[number, DeptJob]>): Promise<{ ended: string[] }> {
    const at = new Date(now())
    let changed = 0
    const refreshedDepts = deptJobs.flatMap(([, j]) => (j.kind === 'refresh' && j.record ? [j.record] : []))
    const removed = deptJobs.flatMap(([id, j]) => (j.kind === 'remove' ? [id] : []))
    changed += await upsertDepartments(tx, refreshedDepts, at)
    if (removed.length) {
      changed += (await tx.query('update departments set removed_at = $2, updated_at = $2 where id = any($1) and removed_at is null returning 1', [removed, at])).length
    }
    const refreshed = memberJobs.flatMap((j) => (j.kind !== 'disable' && j.record ? [j.record] : []))
    const disabled = memberJobs.filter((j) => j.kind === 'disable').map((j) => j.userid)
    changed += await upsertMembers(tx, refreshed, at)
    changed += await disableMembers(tx, disabled, at)
    await bumpDirectoryVersion(tx, changed > 0)
    return { ended: [...disabled, ...refreshed.filter((m) => m.status !== 1).map((m) => m.userid)] }
  }
}
