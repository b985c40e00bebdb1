import pg from 'pg'

/**
 * Tells every instance sharing the database that something changed, so that each can drop what
 * it cached. Best effort by design: a subscriber hears `gap()` whenever changes may have been
 * missed (the listening connection broke), and `live()` is false until it listens again; caches
 * serve nothing while it is false.
 */
export interface ChangeFeed {
  /** Queues payloads for every subscriber of `channel` in every instance (this one included). */
  publish(channel: string, payloads: Iterable<string>): void
  subscribe(channel: string, s: Subscriber): () => void
  /** True while changes published anywhere reach this instance's subscribers. */
  live(): boolean
  /** Sends what is queued, stops listening. */
  close(): Promise<void>
}

export interface Subscriber {
  message(payload: string): void
  gap(): void
}

/** NOTIFY payloads must stay under 8,000 bytes: payloads are joined by newlines up to this. */
const MAX_PAYLOAD = 7_000
const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000]

function subscribers() {
  const subs = new Map<string, Set<Subscriber>>()
  return {
    subs,
    add(channel: string, s: Subscriber) {
      const set = subs.get(channel) ?? new Set()
      subs.set(channel, set.add(s))
      return () => void set.delete(s)
    },
    deliver(channel: string, payloads: Iterable<string>) {
      for (const p of payloads) for (const s of subs.get(channel) ?? []) s.message(p)
    },
    gap() {
      for (const set of subs.values()) for (const s of set) s.gap()
    },
  }
}

/** PGlite: one process owns the data directory (data-dir-lock.ts), so changes are all local. */
export function localChangeFeed(): ChangeFeed {
  const s = subscribers()
  return {
    publish: (channel, payloads) => s.deliver(channel, [...payloads]),
    subscribe: s.add,
    live: () => true,
    close: async () => {},
  }
}

/** Joins payloads into NOTIFY-sized chunks, one per line. */
export function chunkPayloads(payloads: Iterable<string>): string[] {
  const out: string[] = []
  let cur = ''
  for (const p of payloads) {
    if (cur && cur.length + 1 + p.length > MAX_PAYLOAD) {
      out.push(cur)
      cur = ''
    }
    cur = cur ? `${cur}\n${p}` : p
  }
  if (cur) out.push(cur)
  return out
}

/**
 * PostgreSQL: LISTEN on a connection of its own (opened at the first subscription, reopened after
 * a break), NOTIFY through the pool after the writer's commit, batched: one statement carries
 * every change queued meanwhile.
 */
export function postgresChangeFeed(o: { url: string; notify: (channel: string, payload: string) => Promise<unknown>; onError: (e: Error) => void }): ChangeFeed {
  const s = subscribers()
  const pending = new Map<string, Set<string>>()
  let flushing: Promise<void> | undefined
  let client: pg.Client | undefined
  let listening = false
  let closed = false
  let retry: NodeJS.Timeout | undefined
  let attempt = 0

  async function flush(): Promise<void> {
    while (pending.size) {
      const batch = [...pending]
      pending.clear()
      for (const [channel, payloads] of batch) {
        for (const chunk of chunkPayloads(payloads)) await o.notify(channel, chunk).catch(o.onError)
      }
    }
    flushing = undefined
  }

  function broken(e?: Error) {
    if (e) o.onError(e)
    const c = client
    client = undefined
    if (listening) s.gap()
    listening = false
    c?.removeAllListeners()
    c?.on('error', () => {})
    void c?.end().catch(() => {})
    if (closed || retry) return
    retry = setTimeout(() => {
      retry = undefined
      void connect()
    }, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)])
    retry.unref()
  }

  async function connect(): Promise<void> {
    if (closed || client) return
    const c = new pg.Client({ connectionString: o.url, keepAlive: true, connectionTimeoutMillis: 5_000 })
    client = c
    c.on('error', (e) => broken(e))
    c.on('end', () => client === c && broken())
    c.on('notification', (n) => s.deliver(n.channel, (n.payload ?? '').split('\n')))
    try {
      await c.connect()
      for (const channel of s.subs.keys()) await c.query(`listen ${pg.escapeIdentifier(channel)}`)
      if (client !== c) return
      listening = true
      attempt = 0
    } catch (e) {
      if (client === c) broken(e as Error)
    }
  }

  return {
    publish(channel, payloads) {
      const set = pending.get(channel) ?? new Set()
      for (const p of payloads) set.add(p)
      pending.set(channel, set)
      flushing ??= Promise.resolve().then(flush)
    },
    subscribe(channel, sub) {
      const known = s.subs.has(channel)
      const off = s.add(channel, sub)
      if (!client) void connect()
      // A channel added while connected: listen on it too (delivery starts once that returns).
      else if (!known && listening) {
        listening = false
        client.query(`listen ${pg.escapeIdentifier(channel)}`).then(
          () => (listening = client !== undefined),
          (e: Error) => broken(e),
        )
      }
      return off
    },
    live: () => listening,
    async close() {
      closed = true
      clearTimeout(retry)
      await flushing
      const c = client
      client = undefined
      listening = false
      await c?.end().catch(() => {})
    },
  }
}
