import { createWeComClient } from './client'
import type { WeComClient, WeComClientOptions } from './types'

/**
 * A WeComClient that follows credentials changed at run time (the admin console): each call
 * asks `current()` for the options and, when apiBase, corpId, secret or proxy differ from the
 * inner client's, builds a new one. Everything holding the client (sync, outbox, approvals,
 * sign-in) moves to the new credentials at once. The token cache is the caller's, keyed per
 * credentials, so switching back and forth does not refetch tokens still valid.
 */
export function createSwitchableWeComClient(current: () => WeComClientOptions): WeComClient {
  let inner: WeComClient | undefined
  let built: Pick<WeComClientOptions, 'apiBase' | 'corpId' | 'secret' | 'proxyUrl'> | undefined
  const client = (): WeComClient => {
    const o = current()
    // Four string compares per call; the values live in config anyway.
    if (!inner || !built || o.apiBase !== built.apiBase || o.corpId !== built.corpId || o.secret !== built.secret || o.proxyUrl !== built.proxyUrl) {
      inner = createWeComClient(o)
      built = { apiBase: o.apiBase, corpId: o.corpId, secret: o.secret, proxyUrl: o.proxyUrl }
    }
    return inner
  }
  return {
    get corpId() {
      return client().corpId
    },
    accessToken: () => client().accessToken(),
    get: (path, query) => client().get(path, query),
    post: (path, body, query) => client().post(path, body, query),
    getUserIdentity: (code) => client().getUserIdentity(code),
    getUserDetail: (ticket) => client().getUserDetail(ticket),
    getUser: (userid) => client().getUser(userid),
    getDepartment: (id) => client().getDepartment(id),
  }
}
