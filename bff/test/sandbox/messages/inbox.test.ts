import { describe, expect, it } from 'vitest'
import { setup } from '../helpers'
import { card, send } from './helpers'

describe('sandbox inbox page', () => {
  it('answers 404 for an unknown member', async () => {
    const t = setup()
    const res = await t.get('/sandbox/inbox/ghost')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('ghost')
  })

  it('shows the member’s messages oldest first, escaped, with only WeCom’s description classes kept', async () => {
    const t = setup()
    await send(t, card({ msgtype: 'text', text: { content: '<script>alert(1)</script>第一条' } }))
    await send(t, card({ textcard: { title: '<img src=x onerror=alert(1)>标题', description: '<div class="highlight">高亮</div><div class="evil" onclick="x">坏</div><div class="gray">未闭合', url: "http://localhost:3000/auth/start?next=/todos/1&x='y'", btntxt: '去处理' } }))
    const res = await t.get('/sandbox/inbox/LiSi')
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).not.toContain('<script>alert(1)')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;第一条')
    expect(page).not.toContain('<img')
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;标题')
    expect(page).toContain('<div class="tc-highlight">高亮</div>')
    expect(page).toContain('&lt;div class=&quot;evil&quot; onclick=&quot;x&quot;&gt;坏')
    expect(page).toContain('<div class="tc-gray">未闭合</div>')
    expect(page.indexOf('第一条')).toBeLessThan(page.indexOf('高亮'))
    expect(page).toContain('去处理')
  })

  it('wraps a card’s link through /sandbox/client so the member is signed in, as the WeCom client would', async () => {
    const t = setup()
    const url = 'http://localhost:3000/auth/start?next=%2Ftodos%2F1'
    await send(t, card({ textcard: { title: 't', description: 'd', url } }))
    const page = await (await t.get('/sandbox/inbox/lisi')).text()
    const href = /<a class="bubble tcard" href="([^"]+)"/.exec(page)![1]!.replaceAll('&amp;', '&')
    const link = new URL(href, 'http://sandbox')
    expect(link.pathname).toBe('/sandbox/client')
    expect(Object.fromEntries(link.searchParams)).toEqual({ userid: 'lisi', next: url })
    const followed = await t.get(href)
    expect(followed.status).toBe(302)
    expect(followed.headers.get('location')).toBe(url)
    expect(followed.headers.get('set-cookie')).toMatch(/wwsandbox_user=lisi/)
  })

  it('shows an empty state, and hides messages dropped by the frequency limit', async () => {
    const t = setup()
    expect(await (await t.get('/sandbox/inbox/zhangsan')).text()).toContain('还没有收到消息')
    for (let i = 0; i < 31; i++) await send(t, card({ touser: 'zhangsan' }))
    const page = await (await t.get('/sandbox/inbox/zhangsan')).text()
    expect(page.match(/<li class="msg">/g)).toHaveLength(30)
  })

  it('is linked from the sandbox index page for each demo user', async () => {
    const t = setup()
    const page = await (await t.get('/')).text()
    for (const u of ['zhangsan', 'lisi', 'wujiu']) expect(page).toContain(`href="/sandbox/inbox/${u}"`)
  })
})
