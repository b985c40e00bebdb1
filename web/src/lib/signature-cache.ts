/**
 * One BFF request per page URL: ww.register's two callbacks (config on old clients, agentConfig)
 * and a quick re-config of the same page share it. Only the latest URL is kept, and only
 * briefly: a signature is only as good as the ticket it was made with, and tickets expire.
 */
export function createSignatureCache<T>(fetch: (url: string) => Promise<T>, opts: { ttlMs?: number; now?: () => number } = {}): (url: string) => Promise<T> {
  const ttlMs = opts.ttlMs ?? 60_000
  const now = opts.now ?? Date.now
  let last: { url: string; at: number; promise: Promise<T> } | undefined
  return (url) => {
    if (last && last.url === url && now() - last.at < ttlMs) return last.promise
    const promise = fetch(url)
    const entry = { url, at: now(), promise }
    last = entry
    // A failure is not worth remembering: the next attempt asks again.
    promise.catch(() => {
      if (last === entry) last = undefined
    })
    return promise
  }
}
