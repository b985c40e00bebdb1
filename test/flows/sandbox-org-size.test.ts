import { buildDemoOrg, SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppProcess, type AppProcess } from '../support/app-process'

// `SANDBOX_MEMBERS=… SANDBOX_DEPARTMENTS=… pnpm start`: the server as a process, its sandbox
// asked over HTTP as the sync asks it.
describe('the sandbox org sized by SANDBOX_MEMBERS / SANDBOX_DEPARTMENTS', () => {
  it('a size it cannot generate stops the start with the variable and the range', async () => {
    await expect(startAppProcess({ SANDBOX_MEMBERS: '3', SANDBOX_DEPARTMENTS: 'many' })).rejects.toThrow(
      /SANDBOX_MEMBERS: expected a whole number from 7 \(the named demo people\)[^\n]*got "3"[\s\S]*SANDBOX_DEPARTMENTS: expected a whole number[^\n]*got "many"/,
    )
  })

  describe('500 members in 20 departments', () => {
    let app: AppProcess
    beforeAll(async () => {
      app = await startAppProcess({ SANDBOX_MEMBERS: '500', SANDBOX_DEPARTMENTS: '20', SYNC_ENABLE: 'false' })
    })
    afterAll(() => app?.stop())

    const cgi = async <T>(path: string, query: Record<string, string> = {}): Promise<T> => {
      const url = new URL(`${app.sandboxUrl}/cgi-bin/${path}`)
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
      const body = (await (await fetch(url)).json()) as T & { errcode: number }
      expect(body.errcode, `${path}: ${JSON.stringify(body)}`).toBe(0)
      return body
    }

    it('serves the generated org of that size, the named demo people in it', async () => {
      const { access_token } = await cgi<{ access_token: string }>('gettoken', { corpid: SANDBOX_DEFAULTS.corpId, corpsecret: SANDBOX_DEFAULTS.secret })
      const { department } = await cgi<{ department: { id: number }[] }>('department/list', { access_token })
      expect(department).toHaveLength(20)
      const { userlist } = await cgi<{ userlist: { userid: string }[] }>('user/list', { access_token, department_id: '1', fetch_child: '1' })
      // user/list leaves out members who quit (status 5), as WeCom does.
      const expected = buildDemoOrg({ members: 500, departments: 20 }).members.filter((m) => m.status !== 5)
      expect(expected.length).toBeGreaterThan(450)
      expect(userlist.map((u) => u.userid).sort()).toEqual(expected.map((m) => m.userid).sort())
      expect(userlist.map((u) => u.userid)).toEqual(expect.arrayContaining(['zhangsan', 'lisi', 'zhouba']))
    })
  })
})
