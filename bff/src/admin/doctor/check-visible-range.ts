import { countActiveMembers } from '../../directory/member-store'
import { anySyncSucceeded } from '../../directory/sync-runs'
import { describeFailure } from './describe-error'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, join, L, ok, warn, type Outcome } from './types'

/** Fewer active members than this after a sync looks like a range left at "just me". */
const SUSPICIOUSLY_FEW = 2

/**
 * What the app may see (应用可见范围): agent/get's allow_userinfos / allow_partys / allow_tags,
 * the departments department/simplelist returns, and the members the last sync kept. Empty →
 * nobody can use the app or be synced; tiny → probably still the default "only the creator".
 */
export async function checkVisibleRange(r: DoctorRun): Promise<Outcome> {
  const { db } = r.ctx
  const [agent, departments, synced] = await Promise.all([r.agent(), r.departments(), db ? syncedMembers(r) : Promise.resolve(undefined)])
  if (!agent.ok && !departments.ok) return describeFailure(departments.error, L('读取可见范围', 'Reading the visible range'), r.ctx)

  const users = agent.ok ? (agent.value.allow_userinfos?.user?.length ?? 0) : undefined
  const parties = agent.ok ? (agent.value.allow_partys?.partyid?.length ?? 0) : undefined
  const tags = agent.ok ? (agent.value.allow_tags?.tagid?.length ?? 0) : undefined
  const visibleDepartments = departments.ok ? (departments.value.department_id?.length ?? 0) : undefined

  const parts = [
    agent.ok
      ? L(`可见范围设置了 ${parties} 个部门、${users} 名成员、${tags} 个标签`, `The range lists ${parties} department(s), ${users} member(s) and ${tags} tag(s)`)
      : L('无法读取应用详情（agent/get）', "The app's details (agent/get) could not be read"),
    visibleDepartments !== undefined ? L(`应用能看到 ${visibleDepartments} 个部门`, `the app sees ${visibleDepartments} department(s)`) : undefined,
    !synced
      ? // No database here (`pnpm run doctor` while the server holds PGlite): nothing is known of the sync.
        L('同步情况未检查（数据库由运行中的服务占用，请在控制台查看）', 'the sync was not checked (the running server holds the database; see the console)')
      : synced.synced
        ? L(`上次同步得到 ${synced.active} 名在职成员`, `the last sync kept ${synced.active} active member(s)`)
        : L('通讯录尚未同步', 'the directory has not been synced yet'),
  ]
  const summary = join(parts, L('；', '; '))
  const where = L(`请在 ${CONSOLE.visibleRange.zh} 中加入使用本应用的部门或成员（通常是整个企业）。`, `Add the departments or members who use the app (usually the whole company) under ${CONSOLE.visibleRange.en}.`)

  const emptyByAgent = agent.ok && users === 0 && parties === 0 && tags === 0
  const emptyByLists = !agent.ok && visibleDepartments === 0 && synced?.synced && synced.active === 0
  if (emptyByAgent || emptyByLists) {
    return fail(join([L('应用的可见范围是空的：没有人能使用本应用，也同步不到任何成员。', 'The visible range is empty: nobody can use the app and no member can be synced.'), summary]), where)
  }
  const onlyOne = agent.ok && parties === 0 && tags === 0 && (users ?? 0) <= 1
  const few = synced?.synced && synced.active < SUSPICIOUSLY_FEW
  if (onlyOne || few) {
    return warn(
      join([L('可见范围小得可疑（可能只有管理员自己，这是新建应用的默认设置）。', "The visible range is suspiciously small (maybe only the admin: a new app's default)."), summary]),
      where,
    )
  }
  return ok(summary)
}

async function syncedMembers(r: DoctorRun): Promise<{ synced: boolean; active: number }> {
  const db = r.ctx.db!
  const [active, synced] = await Promise.all([countActiveMembers(db), anySyncSucceeded(db)])
  return { synced, active }
}
