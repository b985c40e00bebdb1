import type { LoginOptions, Me } from '@portal/shared'

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

export function sampleMe(over: Partial<Me> = {}): Me {
  return {
    userid: 'zhangsan',
    name: '张三',
    position: '高级工程师',
    mainDepartment: { id: 2, name: '研发中心' },
    departments: [
      { id: 2, name: '研发中心' },
      { id: 5, name: '质量组' },
    ],
    roles: ['member'],
    corpId: 'wwsandbox',
    session: {
      createdAt: '2026-11-21T01:00:00.000Z',
      expiresAt: '2026-11-21T09:00:00.000Z',
      absoluteExpiresAt: '2026-11-28T01:00:00.000Z',
    },
    ...over,
  }
}

export function sandboxLoginOptions(): LoginOptions {
  return {
    mode: 'sandbox',
    panel: {
      login_type: 'CorpApp',
      appid: 'wwsandbox',
      agentid: '1000002',
      redirect_uri: 'http://localhost:3000/auth/callback',
      state: 's-123',
      redirect_type: 'top',
    },
    fullPageUrl: 'http://localhost:3001/wwlogin/sso/login?login_type=CorpApp&appid=wwsandbox&state=s-123',
  }
}
