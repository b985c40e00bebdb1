/**
 * template_card in message/send (https://developer.work.weixin.qq.com/document/path/90236): the
 * text_notice and button_interaction cards, checked as WeCom does, with the errcodes of the
 * global list (https://developer.work.weixin.qq.com/document/path/90313): 42031 card_type,
 * 42014 task_id, 42028 a url missing, 42038/42039 a button's text/key, 42045 card_action.
 */

export interface CardButton {
  /** 0: calls back (template_card_event); 1: opens `url`. */
  type: 0 | 1
  text: string
  style: number
  key?: string
  url?: string
}

export interface TemplateCardPayload {
  card_type: 'text_notice' | 'button_interaction'
  task_id?: string
  source?: { desc: string }
  main_title: { title: string; desc: string }
  sub_title_text: string
  horizontal_content_list: { keyname: string; value: string }[]
  card_action?: { type: number; url?: string }
  button_list: CardButton[]
}

export type CardCheck = { ok: true; card: TemplateCardPayload } | { ok: false; errcode: number; errmsg: string }

const fail = (errcode: number, errmsg: string): CardCheck => ({ ok: false, errcode, errmsg })
const str = (v: unknown) => (typeof v === 'string' ? v : '')
const obj = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)
/** "只能由数字、字母和"_-@"组成，最长128字节" */
const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/
const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction'])
/** Interactive types the sandbox does not play. */
const NOT_SIMULATED = new Set(['news_notice', 'vote_interaction', 'multiple_interaction'])

/** Whether the card calls the app back (and so needs a task_id, a callback URL and a response_code). */
export const isInteractive = (cardType: string) => INTERACTIVE.has(cardType)

export function checkTemplateCard(raw: unknown): CardCheck {
  const c = obj(raw)
  if (!c) return fail(40058, 'invalid Request Parameter, template_card')
  const type = str(c.card_type)
  if (NOT_SIMULATED.has(type)) return fail(48002, `api forbidden: the sandbox does not simulate card_type ${type}`)
  if (type !== 'text_notice' && type !== 'button_interaction') return fail(42031, 'invalid template_card.card_type')
  const taskId = c.task_id === undefined ? undefined : str(c.task_id)
  if (taskId !== undefined && !TASK_ID.test(taskId)) return fail(42014, 'invalid task_id')
  if (type === 'button_interaction' && taskId === undefined) return fail(42014, 'invalid task_id: required for button_interaction')
  const main = obj(c.main_title) ?? {}
  const title = str(main.title)
  const sub = str(c.sub_title_text)
  // "一级标题main_title.title和二级普通文本sub_title_text必须有一项填写"
  if (!title && !sub) return fail(42033, 'missing template_card title: main_title.title or sub_title_text')
  const action = obj(c.card_action)
  if (type === 'text_notice' && !action) return fail(42045, 'invalid template_card.card_action: required for text_notice')
  if (action) {
    if (action.type === 1 && !str(action.url)) return fail(42028, 'missing template_card url: card_action.url')
    if (action.type !== undefined && action.type !== 0 && action.type !== 1 && action.type !== 2) return fail(42045, 'invalid template_card.card_action.type')
  }
  const rows: TemplateCardPayload['horizontal_content_list'] = []
  const rawRows = c.horizontal_content_list ?? []
  if (!Array.isArray(rawRows) || rawRows.length > 6) return fail(42035, 'invalid template_card.horizontal_content_list size (≤6)')
  for (const r of rawRows) {
    const row = obj(r) ?? {}
    if (!str(row.keyname)) return fail(42027, 'missing template_card.horizontal_content_list.keyname')
    rows.push({ keyname: str(row.keyname), value: str(row.value) })
  }
  const buttons: CardButton[] = []
  if (type === 'button_interaction') {
    const list = c.button_list
    if (!Array.isArray(list) || list.length < 1 || list.length > 6) return fail(42038, 'invalid template_card.button_list: 1 to 6 buttons')
    const keys = new Set<string>()
    for (const b of list) {
      const btn = obj(b) ?? {}
      const text = str(btn.text)
      if (!text) return fail(42038, 'missing template_card.button_list.text')
      const bType = btn.type === 1 ? 1 : 0
      const key = btn.key === undefined ? undefined : str(btn.key)
      // "button_list.type是0时必填"; keys "不可重复", ≤1024 bytes.
      if ((bType === 0 && !key) || (key !== undefined && (Buffer.byteLength(key) > 1024 || keys.has(key)))) return fail(42039, 'invalid template_card.button_list.key')
      if (key) keys.add(key)
      const url = str(btn.url)
      if (bType === 1 && !url) return fail(42028, 'missing template_card url: button_list.url')
      buttons.push({ type: bType, text, style: typeof btn.style === 'number' ? btn.style : 1, ...(key ? { key } : {}), ...(url ? { url } : {}) })
    }
  }
  const source = obj(c.source)
  return {
    ok: true,
    card: {
      card_type: type,
      ...(taskId ? { task_id: taskId } : {}),
      ...(source ? { source: { desc: str(source.desc) } } : {}),
      main_title: { title, desc: str(main.desc) },
      sub_title_text: sub,
      horizontal_content_list: rows,
      ...(action ? { card_action: { type: Number(action.type ?? 0), ...(str(action.url) ? { url: str(action.url) } : {}) } } : {}),
      button_list: buttons,
    },
  }
}
