/** What a gettoken call yields; `expiresInSec` is WeCom's `expires_in` (normally 7200). */
export interface FetchedToken {
  accessToken: string
  expiresInSec: number
}

/**
 * Process-wide cache of access tokens, one per key (the client keys by apiBase, corpId and a
 * fingerprint of the secret). Share one instance between all clients of the process: WeCom
 * rate-blocks frequent gettoken calls (https://developer.work.weixin.qq.com/document/path/91039).
 */
export interface TokenCache {
  /**
   * The cached token for `key` while it is fresh at `now()`, otherwise the result of
   * `fetchToken`. Concurrent callers of a key share one fetch; a failed fetch rejects them all
   * and leaves nothing cached, so the next call tries again.
   */
  get(key: string, now: () => number, fetchToken: () => Promise<FetchedToken>): Promise<string>
  /** Forget `token` under `key` if it is still the cached one (true when dropped). */
  invalidate(key: string, token: string): boolean
  /** Forget everything, including fetches in flight (their results are discarded). */
  clear(): void
}

export interface TokenCacheOptions {
  /** Refresh this long before expiry; default 5 minutes. */
  refreshBeforeMs?: number
}

interface Entry {
  token: string
  refreshAt: number
}

export function createTokenCache(opts: TokenCacheOptions = {}): TokenCache {
  const refreshBeforeMs = opts.refreshBeforeMs ?? 5 * 60_000
  const entries = new Map<string, Entry>()
  const inflight = new Map<string, { ticket: object; promise: Promise<string> }>()

  function startFetch(key: string, now: () => number, fetchToken: () => Promise<FetchedToken>): Promise<string> {
    // Lifetime counts from before the request: the token may be older than the response.
    const startedAt = now()
    // Identifies this fetch, so a result that arrives after clear() (or a newer fetch) is dropped.
    const ticket = {}
    const current = () => inflight.get(key)?.ticket === ticket
    // Start on a microtask so even a synchronous throw in fetchToken finds the flight registered.
    const promise = Promise.resolve()
      .then(fetchToken)
      .then((fetched) => {
        const lifetimeMs = Math.max(0, fetched.expiresInSec * 1000)
        // Short-lived tokens (sandboxes) would otherwise be stale on arrival and refetched on every call.
        const marginMs = Math.min(refreshBeforeMs, lifetimeMs / 2)
        if (current()) entries.set(key, { token: fetched.accessToken, refreshAt: startedAt + lifetimeMs - marginMs })
        return fetched.accessToken
      })
      .finally(() => {
        if (current()) inflight.delete(key)
      })
    inflight.set(key, { ticket, promise })
    return promise
  }

  return {
    get(key, now, fetchToken) {
      const e = entries.get(key)
      if (e && now() < e.refreshAt) return Promise.resolve(e.token)
      return inflight.get(key)?.promise ?? startFetch(key, now, fetchToken)
    },
    invalidate(key, token) {
      if (entries.get(key)?.token !== token) return false
      entries.delete(key)
      return true
    },
    clear() {
      entries.clear()
      inflight.clear()
    },
  }
}
