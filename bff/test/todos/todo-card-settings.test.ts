import { expect, it } from 'vitest'
import { settingsOf, type RuntimeSettings, type RuntimeValues } from '../../src/admin/settings/runtime'
import { todoMessage } from '../../src/todos/todo-card'
import type { TodoRecord } from '../../src/todos/store'
import { testConfig } from '../callbacks/helpers'

const todo: TodoRecord = {
  id: 't1',
  assignee: 'lisi',
  source: 'host',
  origin: 'oa',
  ref: 'r1',
  title: '审核合同',
  summary: '',
  link: 'https://oa.example.com/x',
  status: 'pending',
  dueAt: new Date('2026-12-03T10:00:00Z'),
  createdAt: new Date('2026-12-03T09:00:00Z'),
  updatedAt: new Date('2026-12-03T09:00:00Z'),
}

/** The values config holds, with some replaced: what a console save puts in effect. */
function saved(base: RuntimeSettings, values: Partial<RuntimeValues>): RuntimeSettings {
  return { get: (key) => (key in values ? values[key]! : base.get(key)) as never, onChange() {} }
}

// A console save must reach a card without anything written into config.
it('a todo card follows the settings in effect, not config: callback Token/key, time zone and host names', () => {
  const config = testConfig()
  const settings = saved(settingsOf(config), {
    timeZone: 'America/New_York',
    hostDisplayNames: { oa: '办公系统' },
  })
  const msg = todoMessage({ config, settings }, todo, { heading: '待办：', card: 'new' })
  expect(msg.msgtype).toBe('template_card')
  const card = msg.msgtype === 'template_card' ? msg.template_card : undefined
  expect(card?.source?.desc).toBe('办公系统')
  expect(card?.horizontal_content_list?.[0]?.value).toContain('05:00')
  // The Token cleared in the console while config still holds one: no buttons WeCom would refuse (43012).
  const cleared = saved(settingsOf(config), { callbackToken: undefined })
  expect(config.wecom.callbackToken).toBeTruthy()
  expect(todoMessage({ config, settings: cleared }, todo, { heading: '待办：', card: 'new' }).msgtype).toBe('textcard')
})
