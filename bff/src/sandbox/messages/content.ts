/** Per-type checks of a message/send body (https://developer.work.weixin.qq.com/document/path/90236): the stored, truncated payload or an errcode. */
import { checkTemplateCard, type TemplateCardPayload } from './template-card'

export type MessagePayload =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt: string } }
  | { msgtype: 'news'; news: { articles: NewsArticle[] } }
  | { msgtype: 'template_card'; template_card: TemplateCardPayload }

export interface NewsArticle {
  title: string
  description: string
  url: string
  picurl: string
  appid?: string
  pagepath?: string
}

export type ContentResult = { ok: true; payload: MessagePayload } | { ok: false; errcode: number; errmsg: string }

/** Types WeCom has that need media or interactive machinery the sandbox does not simulate. */
const NOT_SIMULATED = new Set(['image', 'voice', 'video', 'file', 'mpnews', 'miniprogram_notice', 'interactive_taskcard'])

const TEXT_MAX_B = 2048
const TITLE_MAX_B = 128
const DESCRIPTION_MAX_B = 512
const URL_MAX_B = 2048
const BTNTXT_MAX_CHARS = 4
const MAX_ARTICLES = 8

const err = (errcode: number, errmsg: string): ContentResult => ({ ok: false, errcode, errmsg })

/** Cuts to at most `max` UTF-8 bytes without splitting a character, as WeCom's truncation does. */
export function truncateBytes(value: string, max: number): string {
  if (Buffer.byteLength(value) <= max) return value
  let out = ''
  let bytes = 0
  for (const ch of value) {
    const n = Buffer.byteLength(ch)
    if (bytes + n > max) break
    out += ch
    bytes += n
  }
  return out
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/**
 * http(s) only, and none of the characters a URL may not hold unencoded (space, `"<>|^{}`,
 * control characters): WeCom refuses both with 45034 ("url必须有协议头"). ≤2048 bytes (40094 不合法的URL).
 */
function checkUrl(url: string, field: string): ContentResult | undefined {
  // eslint-disable-next-line no-control-regex
  if (!/^https?:\/\/[^\s"<>|^{}\u0000-\u001f\u007f]+$/i.test(url)) return err(45034, `url must have http or https scheme: ${field}`)
  if (Buffer.byteLength(url) > URL_MAX_B) return err(40094, `invalid url size: ${field} over ${URL_MAX_B} bytes`)
  return undefined
}

/**
 * text and markdown bodies, textcard and news. Over-long text, titles, descriptions and button
 * texts are cut as WeCom documents ("超过会自动截断"); markdown has no truncation rule, so it is
 * refused (45002). Missing fields get WeCom's 41xxx/44004 codes.
 */
export function checkContent(body: Record<string, unknown>): ContentResult {
  const msgtype = body.msgtype
  if (typeof msgtype !== 'string' || !msgtype) return err(40008, 'invalid message type: msgtype missing')
  const part = (body[msgtype] ?? {}) as Record<string, unknown>
  switch (msgtype) {
    case 'text': {
      const content = str(part.content)
      if (!content) return err(44004, 'empty content')
      return { ok: true, payload: { msgtype, text: { content: truncateBytes(content, TEXT_MAX_B) } } }
    }
    case 'markdown': {
      const content = str(part.content)
      if (!content) return err(44004, 'empty content')
      if (Buffer.byteLength(content) > TEXT_MAX_B) return err(45002, `content size out of limit: markdown ≤${TEXT_MAX_B} bytes`)
      return { ok: true, payload: { msgtype, markdown: { content } } }
    }
    case 'textcard': {
      const title = str(part.title)
      if (!title) return err(41016, 'missing title')
      const description = str(part.description)
      if (!description) return err(41033, 'missing description')
      const url = str(part.url)
      if (!url) return err(41010, 'missing url')
      const bad = checkUrl(url, 'textcard.url')
      if (bad) return bad
      const btntxt = [...(str(part.btntxt) || '详情')].slice(0, BTNTXT_MAX_CHARS).join('')
      return { ok: true, payload: { msgtype, textcard: { title: truncateBytes(title, TITLE_MAX_B), description: truncateBytes(description, DESCRIPTION_MAX_B), url, btntxt } } }
    }
    case 'news':
      return checkNews(part.articles)
    case 'template_card': {
      const card = checkTemplateCard(body.template_card)
      if (!card.ok) return card
      for (const [i, b] of card.card.button_list.entries()) {
        const bad = b.url ? checkUrl(b.url, `template_card.button_list[${i}].url`) : undefined
        if (bad) return bad
      }
      const bad = card.card.card_action?.url ? checkUrl(card.card.card_action.url, 'template_card.card_action.url') : undefined
      if (bad) return bad
      return { ok: true, payload: { msgtype, template_card: card.card } }
    }
    default:
      if (NOT_SIMULATED.has(msgtype)) return err(48002, `api forbidden: the sandbox does not simulate msgtype ${msgtype}`)
      return err(40008, `invalid message type: ${msgtype}`)
  }
}

function checkNews(raw: unknown): ContentResult {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_ARTICLES) return err(45008, `article size out of limit: 1–${MAX_ARTICLES} articles`)
  const articles: NewsArticle[] = []
  for (const [i, item] of raw.entries()) {
    const a = (item ?? {}) as Record<string, unknown>
    const title = str(a.title)
    if (!title) return err(41016, `missing title: articles[${i}]`)
    const appid = str(a.appid)
    const pagepath = str(a.pagepath)
    const url = str(a.url) ?? ''
    // A mini-program article (appid + pagepath) needs no url.
    if (!(appid && pagepath)) {
      if (!url) return err(41010, `missing url: articles[${i}]`)
      const bad = checkUrl(url, `articles[${i}].url`)
      if (bad) return bad
    }
    articles.push({ title: truncateBytes(title, TITLE_MAX_B), description: truncateBytes(str(a.description) ?? '', DESCRIPTION_MAX_B), url, picurl: str(a.picurl) ?? '', ...(appid && pagepath ? { appid, pagepath } : {}) })
  }
  return { ok: true, payload: { msgtype: 'news', news: { articles } } }
}
