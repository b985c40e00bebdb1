import { describe, expect, it } from 'vitest'
import { cgi } from '../approvals/helpers'
import { hintPattern, setup } from '../helpers'
import { inbox, send } from './helpers'

const UPDATE = '/cgi-bin/message/update_template_card'
const CALLBACK = { url: 'http://127.0.0.1:9/wecom/callback', token: 'SandboxCallbackToken', encodingAesKey: 'SandboxEncodingAesKey0123456789abcdefghijkl' }

function cardBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    touser: 'lisi',
    msgtype: 'template_card',
    agentid: 1000002,
    template_card: {
      card_type: 'button_interaction',
      task_id: 'todo-abc-new',
      main_title: { title: '待办：审核合同', desc: '待处理' },
      card_action: { type: 1, url: 'http://localhost:3000/auth/login?returnTo=%2Ftodos%2Fabc' },
      button_list: [{ type: 1, text: '查看', key: 'todo:abc', url: 'http://localhost:3000/auth/login?returnTo=%2Ftodos%2Fabc' }],
      ...over,
    },
  }
}

describe('sandbox template cards', () => {
  it('refuses a button card without the app’s callback URL (43012): buttons call the app back', async () => {
    const t = setup()
    const r = await send(t, cardBody())
    expect(r.errcode).toBe(43012)
    expect(r.errmsg).toMatch(hintPattern(43012))
    expect(await inbox(t, 'lisi')).toEqual([])
  })

  it('checks the card: type, task_id, title, buttons and their keys and urls', async () => {
    const t = setup({ callback: CALLBACK })
    const cases: [Record<string, unknown>, number][] = [
      [{ card_type: 'fancy' }, 42031],
      [{ task_id: undefined }, 42014],
      [{ task_id: 'has space' }, 42014],
      [{ task_id: 'x'.repeat(129) }, 42014],
      [{ main_title: {} }, 42033],
      [{ button_list: [] }, 42038],
      [{ button_list: [{ type: 0, text: '好' }] }, 42039],
      [{ button_list: [{ type: 0, text: '好', key: 'k' }, { type: 0, text: '不', key: 'k' }] }, 42039],
      [{ button_list: [{ type: 1, text: '看' }] }, 42028],
      [{ button_list: [{ type: 1, text: '' , url: 'https://a.example/' }] }, 42038],
      [{ card_action: { type: 1 } }, 42028],
      [{ button_list: [{ type: 1, text: '看', url: 'javascript:x' }] }, 45034],
    ]
    for (const [over, code] of cases) expect((await send(t, cardBody(over))).errcode, JSON.stringify(over)).toBe(code)
    expect(await inbox(t, 'lisi')).toEqual([])
  })

  it('answers a response_code that updates the card once, within 72 h; spent and expired codes are 60140', async () => {
    const t = setup({ callback: CALLBACK })
    const sent = await send(t, cardBody())
    expect(sent.errcode).toBe(0)
    const code = String(sent.response_code)
    expect(code).toMatch(/^[\w-]{20,}$/)
    const update = (body: Record<string, unknown>) => cgi(t, UPDATE, { agentid: 1000002, userids: ['lisi'], button: { replace_name: '已处理' }, ...body })
    expect((await update({ response_code: code, agentid: 1000003 })).errcode).toBe(301002)
    expect((await update({ response_code: code, userids: [] })).errcode).toBe(82001)
    expect((await update({ response_code: code, button: undefined })).errcode).toBe(40058)
    expect((await update({ response_code: 'never-issued' })).errcode).toBe(60140)
    const ok = await update({ response_code: code, userids: ['lisi', 'wangwu'] })
    expect(ok).toMatchObject({ errcode: 0, invaliduser: ['wangwu'] })
    expect((await inbox(t, 'lisi'))[0]).toMatchObject({ replaceName: '已处理' })
    const spent = await update({ response_code: code })
    expect(spent.errcode).toBe(60140)
    expect(spent.errmsg).toMatch(hintPattern(60140))

    const second = String((await send(t, cardBody({ task_id: 'todo-abc-2' }))).response_code)
    t.advance(72 * 3600_000)
    expect((await update({ response_code: second })).errcode).toBe(60140)
    expect((await inbox(t, 'lisi'))[1]).not.toHaveProperty('replaceName')
  })

  it('gives a text_notice card no response_code and needs no callback', async () => {
    const t = setup()
    const r = await send(t, cardBody({ card_type: 'text_notice', task_id: undefined, button_list: undefined }))
    expect(r.errcode).toBe(0)
    expect(r.response_code).toBeUndefined()
  })
})
