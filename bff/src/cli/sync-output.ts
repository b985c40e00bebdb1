import type { SyncRun } from '@portal/shared'
import { displayWidth } from './doctor-output'

type Lang = 'zh' | 'en'
type Words = { zh: string; en: string }

const PHASE: Record<string, Words> = {
  starting: { zh: '准备中', en: 'Starting' },
  reading: { zh: '读取通讯录', en: 'Reading the directory' },
  comparing: { zh: '对比差异', en: 'Comparing' },
  writing: { zh: '写入变化', en: 'Writing changes' },
  held: { zh: '等待确认', en: 'Waiting for confirmation' },
  done: { zh: '完成', en: 'Done' },
}

const STATUS: Record<SyncRun['status'], Words> = {
  running: { zh: '进行中', en: 'running' },
  succeeded: { zh: '成功', en: 'succeeded' },
  failed: { zh: '失败', en: 'failed' },
  held: { zh: '待确认', en: 'held' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  confirmed: { zh: '已确认', en: 'confirmed' },
}

/** Said the same way as on the console's sync page. */
export const KIND: Record<SyncRun['kind'], Words> = {
  full: { zh: '普通同步（只写入有变化的部门和成员）', en: 'sync (writes only the departments and members that changed)' },
  force: {
    zh: '强制同步（读取与普通同步相同，调用的企业微信接口也相同，但重写全部部门和成员）',
    en: 'force sync (the same reads and WeCom API calls as a sync, then every department and member rewritten)',
  },
}

const COUNT: Record<keyof SyncRun['counts'], Words> = {
  departmentsSeen: { zh: '读取的部门', en: 'Departments read' },
  membersSeen: { zh: '读取的成员', en: 'Members read' },
  departmentsCreated: { zh: '新增部门', en: 'Departments added' },
  departmentsUpdated: { zh: '更新部门', en: 'Departments updated' },
  departmentsRemoved: { zh: '删除部门', en: 'Departments removed' },
  membersCreated: { zh: '新增成员', en: 'Members added' },
  membersUpdated: { zh: '更新成员', en: 'Members updated' },
  membersDisabled: { zh: '停用成员', en: 'Members disabled' },
  rowsWritten: { zh: '写入的行', en: 'Rows written' },
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)))

/** The live line: the phase in words and, while reading, departments and members read so far. */
export function progressLine(p: SyncRun['progress'], lang: Lang): string {
  const phase = PHASE[p.phase]?.[lang] ?? p.phase
  if (p.phase !== 'reading' || p.total <= 0) return phase
  const members = p.members ?? 0
  return lang === 'zh' ? `${phase}：部门 ${p.done}/${p.total}，成员 ${members} 人` : `${phase}: ${p.done}/${p.total} departments, ${members} members`
}

/** What the run did, for the terminal, in one language. */
export function runReport(run: SyncRun, lang: Lang): string {
  const lines = [lang === 'zh' ? `第 ${run.id} 次同步，${KIND[run.kind].zh}：${STATUS[run.status].zh}` : `Run ${run.id}, ${KIND[run.kind].en}: ${STATUS[run.status].en}`]
  const keys = Object.keys(COUNT) as (keyof SyncRun['counts'])[]
  const width = Math.max(...keys.map((k) => displayWidth(COUNT[k][lang])))
  for (const k of keys) lines.push(`  ${pad(COUNT[k][lang], width)}  ${run.counts[k]}`)
  for (const e of run.errors) {
    lines.push(lang === 'zh' ? `  出错：${e.message}` : `  error: ${e.message}`)
    if (e.hint) lines.push(lang === 'zh' ? `  怎么办：${e.hint}` : `  what to do: ${e.hint}`)
  }
  if (run.hold) {
    const { wouldDisable: n, members, maxShare } = run.hold
    const share = `${Math.round(maxShare * 100)}%`
    lines.push(
      lang === 'zh'
        ? `  已暂停：本次会停用 ${n} 人（现有 ${members} 人），超过允许的 ${share}。请先检查应用的可见范围，确认无误后运行：pnpm sync --confirm ${run.id}`
        : `  held: would disable ${n} of the directory's ${members} members (allowed ${share}). Check the app's visible range, then: pnpm sync --confirm ${run.id}`,
    )
  }
  return lines.join('\n')
}

/** The CLI's other messages. */
export const SAY = {
  serverHoldsDb: (port: number): Words => ({
    zh: `端口 ${port} 上的服务正在运行并占用内置数据库（PGlite）。请在管理控制台的“通讯录同步”页启动同步（或 POST /api/admin/sync/runs），或先停止服务。`,
    en: `The server on port ${port} is running and holds the embedded database (PGlite).\nStart the sync on the admin console's directory sync page (or POST /api/admin/sync/runs), or stop the server first.`,
  }),
  notHeld: (id: string): Words => ({ zh: `第 ${id} 次同步不是待确认的同步。`, en: `Run ${id} is not a held run.` }),
  busy: { zh: '已有一次同步正在进行。', en: 'Another sync is running.' },
  configProblems: { zh: '配置有问题：', en: 'Configuration problems:' },
} satisfies Record<string, Words | ((...a: never[]) => Words)>
