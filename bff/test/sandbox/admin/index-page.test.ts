import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { setup } from '../helpers'

describe('sandbox index page: directory and callbacks', () => {
  it('says when no callback server is configured', async () => {
    const page = await (await setup().get('/')).text()
    expect(page).toContain('未设置：通讯录变更不推送回调')
  })

  it('shows the contact-sync secret, the visible range, the callback URL and the new APIs', async () => {
    const t = setup({ visibleRange: { departments: [2, 7], users: ['wujiu'] }, callback: { url: 'http://127.0.0.1:9/cb', token: 'T0ken', encodingAesKey: 'a'.repeat(43) } })
    const page = await (await t.get('/')).text()
    for (const text of [SANDBOX_DEFAULTS.contactSecret, '部门 2, 7；成员 wujiu', 'http://127.0.0.1:9/cb', 'change_contact', '/cgi-bin/user/list_id', '/cgi-bin/department/list', '/sandbox/admin/org/users', '/sandbox/admin/callbacks/verify-url']) {
      expect(page).toContain(text)
    }
  })
})
