import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { SyncRun } from '@portal/shared'
import { jsonResponse } from './fixtures'
import { adminFetch, sentBodies, type Handler } from './admin-setup-fixtures'
import { heldRun, runningRun, syncPreview, syncRun } from './admin-ops-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { SYNC_POLL_MS } from '../src/stores/admin-sync'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})
afterEach(() => vi.useRealTimers())

function stubApi(routes: Record<string, Handler>): void {
  fetchMock.mockImplementation(adminFetch(routes))
}
const runsAnswer = (items: SyncRun[]) => () => jsonResponse(200, { items })

async function open(): Promise<VueWrapper> {
  ;({ wrapper } = await mountRoutes('/admin/sync'))
  await flushPromises()
  return wrapper
}

const calls = (method: string, path: string) =>
  fetchMock.mock.calls.filter(([u, init]) => (init?.method ?? 'GET') === method && new URL(String(u), 'http://l').pathname === path)

describe('AdminSyncPage: failures first', () => {
  it('a failed load shows the error with retry, which loads the history', async () => {
    let fail = true
    stubApi({ 'GET /api/admin/sync/runs': () => (fail ? jsonResponse(503, {}) : jsonResponse(200, { items: [syncRun()] })) })
    const w = await open()
    expect(w.find('[data-test="sync-load-error"]').text()).toContain('服务')
    fail = false
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="sync-run"]')).toHaveLength(1)
  })

  it('starting while another run goes (409): says so, shows that run and follows it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    let listed: SyncRun[] = [syncRun()]
    let running = runningRun()
    stubApi({
      'GET /api/admin/sync/runs': () => jsonResponse(200, { items: listed }),
      'POST /api/admin/sync/runs': () => {
        listed = [running, syncRun()]
        return jsonResponse(409, { error: { code: 'conflict', message: 'A sync is already running.' } })
      },
      'GET /api/admin/sync/runs/9': () => jsonResponse(200, running),
    })
    const w = await open()
    await w.find('[data-test="start-full"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="sync-conflict"]').text()).toContain('已有一次同步正在进行')
    expect(w.find('[data-test="sync-current"]').text()).toContain('120 / 230')
    expect(w.find('[data-test="start-full"]').attributes('disabled')).toBeDefined()

    running = runningRun({ progress: { phase: 'writing', done: 0, total: 1 } })
    await vi.advanceTimersByTimeAsync(SYNC_POLL_MS)
    await flushPromises()
    expect(w.find('[data-test="sync-phase"]').text()).toContain('写入变化')
  })

  it('a start the BFF refuses shows its message and hint, and nothing pretends to run', async () => {
    stubApi({
      'GET /api/admin/sync/runs': runsAnswer([]),
      'POST /api/admin/sync/runs': () =>
        jsonResponse(502, { error: { code: 'wecom_error', message: 'WeCom refused the token request.', hint: 'Check WECOM_SECRET.', errcode: 40001 } }),
    })
    const w = await open()
    expect(w.find('[data-test="sync-empty"]').text()).toContain('还没有同步记录')
    await w.find('[data-test="start-full"]').trigger('click')
    await flushPromises()
    const err = w.find('[data-test="sync-action-error"]')
    expect(err.text()).toContain('WeCom refused the token request.')
    expect(err.text()).toContain('Check WECOM_SECRET.')
    expect(w.find('[data-test="sync-current"]').exists()).toBe(false)
    expect(w.find('[data-test="start-full"]').attributes('disabled')).toBeUndefined()
  })

  it('a run that failed shows the errcode in words, with what to do', async () => {
    stubApi({
      'GET /api/admin/sync/runs': runsAnswer([
        syncRun({ status: 'failed', errors: [{ errcode: 60020, message: 'WeCom /cgi-bin/department/list answered 60020 from ip: 203.0.113.9', hint: 'Add the IP.' }] }),
      ]),
    })
    const w = await open()
    const run = w.find('[data-test="sync-run"]')
    expect(run.find('[data-test="run-status"]').text()).toBe('失败')
    const errors = run.find('[data-test="run-errors"]').text()
    expect(errors).toContain('错误码 60020')
    expect(errors).toContain('不安全的访问 IP')
    expect(errors).toContain('203.0.113.9')
    expect(errors).toContain('department/list')
  })

  it('a run that failed after a held one leaves it waiting; a later success settles it', async () => {
    let listed: SyncRun[] = [syncRun({ id: 9, status: 'failed', errors: [{ message: 'WeCom unreachable' }] }), heldRun()]
    stubApi({ 'GET /api/admin/sync/runs': () => jsonResponse(200, { items: listed }), 'GET /api/admin/sync/runs/8/preview': () => jsonResponse(200, syncPreview()) })
    const w = await open()
    expect(w.find('[data-test="sync-held"]').exists()).toBe(true)
    w.unmount()
    listed = [syncRun({ id: 10 }), ...listed]
    const w2 = await open()
    expect(w2.find('[data-test="sync-held"]').exists()).toBe(false)
  })

  it('a held run whose sample cannot be loaded says so and retries', async () => {
    let fail = true
    stubApi({
      'GET /api/admin/sync/runs': runsAnswer([heldRun()]),
      'GET /api/admin/sync/runs/8/preview': () => (fail ? jsonResponse(500, {}) : jsonResponse(200, syncPreview())),
    })
    const w = await open()
    expect(w.find('[data-test="preview-error"]').text()).toContain('名单加载失败')
    fail = false
    await w.find('[data-test="preview-error"] button').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="preview-sample"] li')).toHaveLength(2)
  })
})

describe('AdminSyncPage', () => {
  it('lists runs with status, trigger, duration and what changed', async () => {
    stubApi({
      'GET /api/admin/sync/runs': runsAnswer([
        syncRun({ id: 7, kind: 'force', trigger: 'manual', counts: { membersCreated: 3, membersUpdated: 5, membersDisabled: 1, departmentsCreated: 1 } }),
        syncRun({ id: 6 }),
      ]),
    })
    const w = await open()
    const runs = w.findAll('[data-test="sync-run"]')
    expect(runs).toHaveLength(2)
    expect(runs[0]!.text()).toContain('强制同步 · 手动')
    expect(runs[0]!.text()).toContain('耗时 1分12秒')
    expect(runs[0]!.find('[data-test="run-counts"]').text().replace(/\s+/g, '')).toContain('成员新增3·更新5·停用1')
    expect(runs[0]!.find('[data-test="run-counts"]').text().replace(/\s+/g, '')).toContain('部门新增1·更新0·删除0')
    expect(runs[1]!.text()).toContain('普通同步 · 定时')
    expect(runs[1]!.text()).toContain('没有变化')
  })

  it('starts a sync, follows it every second until it is done, then stops asking', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    let current = runningRun({ progress: { phase: 'reading', done: 0, total: 0 } })
    stubApi({
      'GET /api/admin/sync/runs': runsAnswer([syncRun()]),
      'POST /api/admin/sync/runs': () => jsonResponse(202, current),
      'GET /api/admin/sync/runs/9': () => jsonResponse(200, current),
    })
    const w = await open()
    await w.find('[data-test="start-full"]').trigger('click')
    await flushPromises()
    expect(sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/sync/runs')).toEqual([{ kind: 'full' }])
    expect(w.find('[data-test="sync-current"]').text()).toContain('读取通讯录')
    expect(w.findAll('[data-test="sync-run"]')).toHaveLength(2)

    current = runningRun({ progress: { phase: 'reading', done: 200, total: 230 } })
    await vi.advanceTimersByTimeAsync(SYNC_POLL_MS)
    await flushPromises()
    expect(w.find('[data-test="sync-phase"]').text()).toContain('200 / 230')

    current = syncRun({ id: 9, trigger: 'manual', counts: { membersUpdated: 2 } })
    await vi.advanceTimersByTimeAsync(SYNC_POLL_MS)
    await flushPromises()
    expect(w.find('[data-test="sync-current"]').exists()).toBe(false)
    expect(w.findAll('[data-test="run-status"]')[0]!.text()).toBe('成功')
    const polls = calls('GET', '/api/admin/sync/runs/9').length
    await vi.advanceTimersByTimeAsync(SYNC_POLL_MS * 5)
    expect(calls('GET', '/api/admin/sync/runs/9')).toHaveLength(polls)
  })

  it('a run just recorded says it is starting in words; while reading, the members and departments read so far', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const zero = { membersSeen: 0, departmentsSeen: 0 }
    let current = syncRun({ id: 9, trigger: 'manual', status: 'running', finishedAt: null, progress: { phase: 'starting', done: 0, total: 0 }, counts: zero })
    stubApi({ 'GET /api/admin/sync/runs': () => runsAnswer([current])(), 'GET /api/admin/sync/runs/9': () => jsonResponse(200, current) })
    const w = await open()
    expect(w.find('[data-test="sync-phase"]').text()).toBe('准备中')

    current = syncRun({ ...current, progress: { phase: 'reading', done: 40, total: 230, members: 1500 }, counts: zero })
    await vi.advanceTimersByTimeAsync(SYNC_POLL_MS)
    await flushPromises()
    expect(w.find('[data-test="sync-current"]').text()).toContain('已读取成员 1500 人、部门 230 个')
  })

  it('stops polling when the page is left', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    stubApi({ 'GET /api/admin/sync/runs': runsAnswer([runningRun()]), 'GET /api/admin/sync/runs/9': () => jsonResponse(200, runningRun()) })
    const w = await open()
    await vi.advanceTimersByTimeAsync(SYNC_POLL_MS)
    expect(calls('GET', '/api/admin/sync/runs/9')).toHaveLength(1)
    w.unmount()
    wrapper = undefined
    await vi.advanceTimersByTimeAsync(SYNC_POLL_MS * 5)
    expect(calls('GET', '/api/admin/sync/runs/9')).toHaveLength(1)
  })

  it('a force sync asks first; cancelling sends nothing', async () => {
    stubApi({ 'GET /api/admin/sync/runs': runsAnswer([]), 'POST /api/admin/sync/runs': () => jsonResponse(202, syncRun({ id: 9, kind: 'force' })) })
    const w = await open()
    await w.find('[data-test="start-force"]').trigger('click')
    await flushPromises()
    const dialog = () => w.findAll('[data-test="sync-confirm"]').find((d) => d.isVisible())!
    expect(dialog().text()).toContain('开始强制同步？')
    // What a forced run really does: the same WeCom calls, every row rewritten.
    expect(dialog().text()).toContain('调用的企业微信接口与普通同步相同')
    expect(w.text()).toContain('重写本地全部部门和成员')
    await dialog().find('.van-dialog__cancel').trigger('click')
    await flushPromises()
    expect(calls('POST', '/api/admin/sync/runs')).toHaveLength(0)

    await w.find('[data-test="start-force"]').trigger('click')
    await flushPromises()
    await dialog().find('.van-dialog__confirm').trigger('click')
    await flushPromises()
    expect(sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/sync/runs')).toEqual([{ kind: 'force' }])
  })

  it('a held run: the numbers, who would go, and a confirmation that needs the count typed', async () => {
    let listed: SyncRun[] = [heldRun(), syncRun({ id: 6 })]
    stubApi({
      'GET /api/admin/sync/runs': () => jsonResponse(200, { items: listed }),
      'GET /api/admin/sync/runs/8/preview': () => jsonResponse(200, syncPreview()),
      'POST /api/admin/sync/runs/8/confirm': () => {
        const held = heldRun()
        listed = [runningRun({ id: 10 }), { ...held, status: 'confirmed', hold: { ...held.hold!, confirmedBy: 10 } }, syncRun({ id: 6 })]
        return jsonResponse(202, runningRun({ id: 10 }))
      },
      'GET /api/admin/sync/runs/10': () => jsonResponse(200, runningRun({ id: 10 })),
    })
    const w = await open()
    const banner = w.find('[data-test="sync-held"]')
    expect(banner.find('[data-test="held-summary"]').text()).toBe(
      '本次同步将停用 52 人，占通讯录现有成员 230 人的 22.6%，超过了允许的 20%。为防止误操作，这些变化尚未写入。',
    )
    const sample = banner.findAll('[data-test="preview-sample"] li').map((li) => li.findAll('span').map((s) => s.text()))
    expect(sample).toEqual([
      ['王五', 'wangwu', '研发中心 / 质量组'],
      ['赵六', 'zhaoliu', '市场部'],
    ])

    await banner.find('[data-test="held-confirm"]').trigger('click')
    await flushPromises()
    const dialog = w.findAll('[data-test="sync-confirm"]').find((d) => d.isVisible())!
    expect(dialog.text()).toContain('停用 52 名成员')
    const confirm = dialog.find('.van-dialog__confirm')
    expect(confirm.attributes('disabled')).toBeDefined()
    await dialog.find('[data-test="confirm-input"]').setValue('51')
    await confirm.trigger('click')
    await flushPromises()
    expect(calls('POST', '/api/admin/sync/runs/8/confirm')).toHaveLength(0)

    await dialog.find('[data-test="confirm-input"]').setValue('52')
    expect(confirm.attributes('disabled')).toBeUndefined()
    await confirm.trigger('click')
    await flushPromises()
    expect(calls('POST', '/api/admin/sync/runs/8/confirm')).toHaveLength(1)
    expect(w.find('[data-test="sync-held"]').exists()).toBe(false)
    expect(w.find('[data-test="sync-current"]').exists()).toBe(true)
    // The held run now reads as confirmed and carried out by the new run, not "cancelled, paused".
    expect(w.findAll('[data-test="run-status"]').map((s) => s.text())).toEqual(['进行中', '已确认', '成功'])
    expect(w.find('[data-test="run-confirmed"]').text()).toBe('管理员已确认停用 52 人，由同步 #10 执行')
    expect(w.text()).not.toContain('已暂停等待确认')
  })
})

describe('AdminHomePage (the hub)', () => {
  async function openHub(): Promise<VueWrapper> {
    ;({ wrapper } = await mountRoutes('/admin'))
    await flushPromises()
    return wrapper
  }
  const syncCard = (w: VueWrapper) => w.find('[data-test="hub-sync"]')

  it('without the run history every entry is still there, just no sync status', async () => {
    stubApi({ 'GET /api/admin/sync/runs': () => jsonResponse(500, {}) })
    const w = await openHub()
    expect(w.findAll('.admin-nav-card').map((c) => c.find('.admin-nav-card__title').text())).toEqual([
      '接入向导',
      '应用设置',
      '连接体检',
      '通讯录同步',
      '角色与权限',
      '嵌入与深链接',
    ])
    expect(syncCard(w).find('[data-test="nav-status"]').exists()).toBe(false)
  })

  it('a held run stands out on the sync entry; a failed one is flagged', async () => {
    stubApi({ 'GET /api/admin/sync/runs': runsAnswer([heldRun()]) })
    const w = await openHub()
    expect(syncCard(w).classes()).toContain('admin-nav-card--warning')
    expect(syncCard(w).find('[data-test="nav-status"]').text()).toBe('待确认：本次同步将停用 52 人')
    w.unmount()

    stubApi({ 'GET /api/admin/sync/runs': runsAnswer([syncRun({ status: 'failed' })]) })
    const w2 = await openHub()
    expect(syncCard(w2).classes()).toContain('admin-nav-card--danger')
    expect(syncCard(w2).find('[data-test="nav-status"]').text()).toContain('上次同步失败')
    expect(syncCard(w2).attributes('href')).toBe('/admin/sync')
  })
})
