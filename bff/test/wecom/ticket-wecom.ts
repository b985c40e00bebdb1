import type { WeComClient, WeComQuery } from '../../src/wecom'

type Answer = { ticket?: unknown; expires_in?: unknown } | Error

/**
 * A stand-in for the client's `get` on the two ticket endpoints (https://developer.work.weixin.qq.com/document/path/90506): counts
 * calls per kind, issues numbered tickets, and can hold answers or script failures.
 */
export function ticketWeCom() {
  const calls: { path: string; query?: WeComQuery }[] = []
  const scripted: Answer[] = []
  let hold: Promise<void> | undefined
  let n = 0
  const count = (kind: 'corp' | 'agent') =>
    calls.filter((c) => (kind === 'corp' ? c.path === '/cgi-bin/get_jsapi_ticket' : c.path === '/cgi-bin/ticket/get' && c.query?.type === 'agent_config')).length
  const client: Pick<WeComClient, 'get'> = {
    get: (async (path: string, query?: WeComQuery) => {
      calls.push({ path, query })
      if (hold) await hold
      const answer = scripted.shift() ?? { ticket: `${path.includes('ticket/get') ? 'agent' : 'corp'}-ticket-${++n}`, expires_in: 7200 }
      if (answer instanceof Error) throw answer
      return { errcode: 0, errmsg: 'ok', ...answer }
    }) as WeComClient['get'],
  }
  return {
    client,
    calls,
    count,
    /** Answer the next calls with these, in order. */
    script: (...answers: Answer[]) => void scripted.push(...answers),
    hold() {
      let release!: () => void
      hold = new Promise((r) => (release = r))
      return {
        release: () => {
          hold = undefined
          release()
        },
      }
    },
  }
}
