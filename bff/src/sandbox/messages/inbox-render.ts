import { esc, html, raw, type Html } from '../html'
import type { InboxMessage } from './store'
import type { TemplateCardPayload } from './template-card'
import { linkWith } from '../query'

const DIV_CLASSES = new Set(['gray', 'normal', 'highlight'])

/**
 * A textcard description: plain text plus WeCom's `<div class="gray|normal|highlight">` (https://developer.work.weixin.qq.com/document/path/90236).
 * Everything else is escaped; unclosed divs are closed and stray closers dropped.
 */
export function cardDescription(text: string): Html {
  let out = ''
  let open = 0
  let last = 0
  for (const m of text.matchAll(/<div class="([a-z]+)">|<\/div>/g)) {
    const isOpen = m[0] !== '</div>'
    if (isOpen && !DIV_CLASSES.has(m[1]!)) continue
    out += esc(text.slice(last, m.index))
    last = m.index + m[0].length
    if (isOpen) {
      out += `<div class="tc-${m[1]}">`
      open += 1
    } else if (open > 0) {
      out += '</div>'
      open -= 1
    }
  }
  out += esc(text.slice(last)) + '</div>'.repeat(open)
  return raw(out)
}

/**
 * Tapping a link in the WeCom client opens it with the member signed in: through
 * /sandbox/client, which remembers the member and then follows the url — so an OAuth-wrapped
 * link signs them in silently.
 */
export function asClient(userid: string, url: string): string {
  return linkWith('/sandbox/client', {}, { userid, next: url })
}

function clock(unixS: number): string {
  // The corp's time zone: UTC+8.
  return new Date(unixS * 1000 + 8 * 3600 * 1000).toISOString().slice(5, 16).replace('T', ' ')
}

export function messageBubble(m: InboxMessage): Html {
  const p = m.payload
  const when = html`<div class="when">${clock(m.time)}</div>`
  switch (p.msgtype) {
    case 'text':
      return html`<li class="msg">${when}<div class="bubble text">${p.text.content}</div></li>`
    case 'markdown':
      return html`<li class="msg">${when}<div class="bubble text md">${p.markdown.content}</div></li>`
    case 'textcard': {
      const t = p.textcard
      return html`<li class="msg">${when}<a class="bubble tcard" href="${asClient(m.userid, t.url)}"><div class="tc-title">${t.title}</div>
<div class="tc-desc">${cardDescription(t.description)}</div><div class="tc-btn">${t.btntxt}<span>›</span></div></a></li>`
    }
    case 'news':
      return html`<li class="msg">${when}<div class="bubble news">${p.news.articles.map(
        (a) => html`<a class="art" href="${a.url ? asClient(m.userid, a.url) : '#'}"><b>${a.title}</b><div class="muted">${a.description}</div></a>`,
      )}</div></li>`
    case 'template_card':
      return html`<li class="msg">${when}${templateCard(m, p.template_card)}</li>`
  }
}

/**
 * A template card as the client draws it: source, title, texts, key–value rows, buttons. A tap on
 * a button goes through /sandbox/inbox/:userid/tap, which calls the app back (a button with a
 * key) and opens the button's url (type 1). After update_template_card the buttons are one grey
 * button reading replace_name.
 */
function templateCard(m: InboxMessage, card: TemplateCardPayload): Html {
  const open = card.card_action?.type === 1 && card.card_action.url ? asClient(m.userid, card.card_action.url) : undefined
  const body = html`${card.source?.desc ? html`<div class="tpl-source">${card.source.desc}</div>` : ''}
<div class="tc-title">${card.main_title.title}</div>${card.main_title.desc ? html`<div class="tpl-desc">${card.main_title.desc}</div>` : ''}
${card.sub_title_text ? html`<div class="tc-desc">${card.sub_title_text}</div>` : ''}${card.horizontal_content_list.map((r) => html`<div class="tpl-row"><span class="tpl-key">${r.keyname}</span> <span>${r.value}</span></div>`)}`
  const buttons =
    m.replaceName !== undefined
      ? html`<div class="tpl-btns"><span class="tpl-btn done" data-replaced="true">${m.replaceName}</span></div>`
      : html`<div class="tpl-btns">${card.button_list.map(
          (b, i) => html`<a class="tpl-btn" href="${linkWith(`/sandbox/inbox/${encodeURIComponent(m.userid)}/tap`, {}, { msgid: m.msgid, button: String(i) })}">${b.text}</a>`,
        )}</div>`
  return html`<div class="bubble tcard tpl" data-card-type="${card.card_type}">${open ? html`<a class="tpl-open" href="${open}">${body}</a>` : body}${buttons}</div>`
}
