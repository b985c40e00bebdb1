import { listRuns } from '../../directory/sync-runs'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, join, L, ok, skip, warn, type Outcome } from './types'
import { when } from './when'

const NO_DB = L('数据库未打开（服务正在运行并占用内置数据库），请在控制台中运行自检查看这一项。', "The database is not open (the running server holds the embedded database): run the doctor from the console for this check.")

/** The last directory sync: failed → its error and hint; held → what it would disable. */
export async function checkSync(r: DoctorRun): Promise<Outcome> {
  const { db, config } = r.ctx
  const timeZone = r.ctx.settings.get('timeZone')
  if (!db) return skip(NO_DB)
  const [run] = await listRuns(db, 1)
  const schedule = config.sync.enabled ? undefined : L('（SYNC_ENABLE=false：不会定时同步）', '(SYNC_ENABLE=false: no scheduled syncs)')
  if (!run) {
    return warn(join([L('通讯录还没有同步过。', 'The directory has never been synced.'), schedule]), L('在控制台的“通讯录同步”页启动一次同步，或运行 pnpm sync。', "Start a sync on the console's directory sync page, or run pnpm sync."))
  }
  const started = new Date(run.startedAt)
  switch (run.status) {
    case 'running':
      return ok(L(`同步 #${run.id} 正在进行（开始于 ${when(started, timeZone)}）。`, `Sync #${run.id} is running (started ${when(started, timeZone)}).`))
    case 'succeeded':
      return ok(
        join([
          L(`最近一次同步 #${run.id} 成功（${when(new Date(run.finishedAt ?? run.startedAt), timeZone)}）：${run.counts.membersSeen} 名成员、${run.counts.departmentsSeen} 个部门。`, `The last sync #${run.id} succeeded (${when(new Date(run.finishedAt ?? run.startedAt), timeZone)}): ${run.counts.membersSeen} members, ${run.counts.departmentsSeen} departments.`),
          schedule,
        ]),
      )
    case 'held': {
      const h = run.hold
      return warn(
        L(
          `同步 #${run.id} 已暂停等待确认：它会停用通讯录现有 ${h?.members ?? '?'} 名成员中的 ${h?.wouldDisable ?? '?'} 名，超过允许的 ${Math.round((h?.maxShare ?? 0) * 100)}%。`,
          `Sync #${run.id} is held for confirmation: it would disable ${h?.wouldDisable ?? '?'} of the directory's ${h?.members ?? '?'} members, more than the ${Math.round((h?.maxShare ?? 0) * 100)}% allowed.`,
        ),
        L(`先检查 ${CONSOLE.visibleRange.zh} 是否被缩小；确认这些人确实离开后，在“通讯录同步”页确认该次同步。`, `First check whether ${CONSOLE.visibleRange.en} was narrowed; if those people really left, confirm the run on the directory sync page.`),
      )
    }
    case 'failed': {
      const e = run.errors[0]
      return fail(
        L(`最近一次同步 #${run.id} 失败（${when(started, timeZone)}）：${e?.message ?? '未知原因'}`, `The last sync #${run.id} failed (${when(started, timeZone)}): ${e?.message ?? 'unknown reason'}`),
        e?.hint ? L(e.hint, e.hint) : L('修复上面各项检查指出的问题后，再启动一次同步。', 'Fix what the other checks report, then start a sync again.'),
        e?.errcode,
      )
    }
    case 'confirmed': {
      const by = run.hold?.confirmedBy
      return ok(L(`同步 #${run.id} 已确认${by ? `，由同步 #${by} 执行` : ''}。`, `Sync #${run.id} was confirmed${by ? ` and carried out by sync #${by}` : ''}.`))
    }
    case 'cancelled':
      return warn(L(`最近一次同步 #${run.id} 已取消。`, `The last sync #${run.id} was cancelled.`), L('在“通讯录同步”页再启动一次同步。', 'Start another sync on the directory sync page.'))
  }
}
