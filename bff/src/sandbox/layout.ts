import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { html, raw, type Html } from './html'

// Inline only: the machine is offline and pages must not load anything from elsewhere.
const css = raw(`
*{box-sizing:border-box}
body{margin:0;background:#f2f3f5;color:#1f2329;font:15px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif}
a{color:#2b7fff;text-decoration:none}
.sbx{background:#fff7e6;color:#ad6800;font-size:12px;padding:6px 12px;text-align:center}
.top{background:#fff;padding:12px 16px;border-bottom:1px solid #e5e6eb;display:flex;align-items:center;gap:8px;font-weight:600}
.logo{width:22px;height:22px;border-radius:6px;background:#2b7fff;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-size:13px}
main{max-width:560px;margin:0 auto;padding:12px}
.card{background:#fff;border-radius:10px;padding:16px;margin-bottom:12px}
h1{font-size:18px;margin:0 0 8px}h2{font-size:15px;margin:0 0 8px;color:#4e5969}h3{font-size:13px;color:#86909c;margin:14px 0 4px;font-weight:500}
.muted{color:#86909c;font-size:13px}
.list{list-style:none;margin:0;padding:0}
.list li a{display:flex;align-items:center;gap:10px;padding:10px 4px;border-bottom:1px solid #f2f3f5;color:inherit}
.list li a:active{background:#f2f3f5}
.av{width:36px;height:36px;border-radius:6px;background:#2b7fff;color:#fff;display:inline-flex;align-items:center;justify-content:center;flex:none;font-size:14px}
.av.ext{background:#07c160}
.who{flex:1;min-width:0}.who b{font-weight:500}.who div{color:#86909c;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.who div.note{white-space:normal}
.tag{font-size:11px;border-radius:3px;padding:0 4px;margin-left:4px;background:#f2f3f5;color:#4e5969}
.tag.warn{background:#fff1f0;color:#cf1322}
form.search{display:flex;gap:8px;margin:8px 0}
input[type=search]{flex:1;font-size:15px;padding:8px 10px;border:1px solid #e5e6eb;border-radius:6px;min-width:0}
button,.btn{font-size:15px;padding:8px 14px;border-radius:6px;border:0;background:#2b7fff;color:#fff;display:inline-block;cursor:pointer}
.btn.plain{background:#f2f3f5;color:#4e5969}
.qr{display:flex;flex-direction:column;align-items:center;text-align:center;padding:8px 0}
.qr svg{width:200px;height:200px;border:1px solid #e5e6eb;border-radius:8px;padding:8px;background:#fff}
.err{text-align:center;padding:32px 16px}
.err .icon{width:64px;height:64px;margin:0 auto 12px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{text-align:left;padding:6px 4px;border-bottom:1px solid #f2f3f5;vertical-align:top;word-break:break-all}
code{background:#f2f3f5;border-radius:3px;padding:0 3px;font-size:12px}
`)

export function layout(title: string, body: Html): Html {
  return html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${css}</style></head>
<body><div class="sbx">企业微信沙箱 · 本地模拟，非真实企业微信</div>
<div class="top"><span class="logo">企</span>企业微信</div>
<main>${body}</main></body></html>`
}

/** Pages embed nothing external and post nowhere else; CSP says so. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'"

export function sendPage(c: Context, title: string, body: Html, status = 200): Response {
  c.header('Cache-Control', 'no-store')
  c.header('Content-Security-Policy', CSP)
  return c.html(layout(title, body).value, status as ContentfulStatusCode)
}

/** WeCom's client shows a plain page with an icon and a sentence when a link is wrong. */
export function errorPage(c: Context, title: string, detail: string, status = 400): Response {
  const icon = raw(
    '<svg class="icon" viewBox="0 0 64 64" aria-hidden="true"><circle cx="32" cy="32" r="30" fill="#fa5151"/><rect x="29" y="14" width="6" height="26" rx="3" fill="#fff"/><circle cx="32" cy="48" r="3.5" fill="#fff"/></svg>',
  )
  return sendPage(c, title, html`<div class="card err">${icon}<h1>${title}</h1><p class="muted">${detail}</p></div>`, status)
}
