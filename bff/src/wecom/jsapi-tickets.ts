import { randomBytes } from 'node:crypto'
import { WeComTransportError } from './errors'
import type { StoredTicket, TicketStore } from './ticket-store'
import type { WeComClient, WeComLogger, WeComQuery } from './types'

/** `corp` signs wx.config, `agent` (the app's) signs wx.agentConfig (https://developer.work.weixin.qq.com/document/path/90506). */
export type TicketKind = 'corp' | 'agent'

const SOURCES: Record<TicketKind, { path: string; query?: WeComQuery }> = {
  corp: { path: '/cgi-bin/get_jsapi_ticket' },
  agent: { path: '/cgi-bin/ticket/get', query: { type: 'agent_config' } },
}

export interface JsapiTicketsOptions {
  /** Any client of the self-built app: its access_token is what WeCom issues the tickets to. */
  client: Pick<WeComClient, 'get'>
  store: TicketStore
  /** Whose tickets these are (corp and app, e.g. `ww…/1000002`); prefixes the store keys. */
  scope: string
  /** Milliseconds; default Date.now. */
  now?: () => number
  /** Refresh this long before expiry (at most half the lifetime); default 5 minutes. */
  refreshBeforeMs?: number
  /** How long a fetch may hold the lease; longer than a WeCom request may take (10 s). Default 20 s. */
  leaseMs?: number
  /** How often to look again while another instance fetches; default 100 ms. */
  pollMs?: number
  /** Give up waiting on other instances after this long; default twice the lease. */
  maxWaitMs?: number
  /** After a failed fetch, answer with the same error for this long instead of asking WeCom again; default 5 s. */
  failureHoldMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Names this cache in leases; default random, unique per process. */
  owner?: string
  logger?: WeComLogger
}

export interface JsapiTickets {
  /**
   * A ticket WeCom accepts now. Served from memory until it is due for refresh; then from the
   * store if another instance already refreshed it; otherwise fetched — by one caller in this
   * process (the others join it) and by one instance among those sharing the store.
   */
  get(kind: TicketKind): Promise<string>
}

/** An old ticket still this far from expiry is good enough to hand out while another instance refreshes. */
const USABLE_FOR_MS = 60_000

export function createJsapiTickets(opts: JsapiTicketsOptions): JsapiTickets {
  const now = opts.now ?? Date.now
  const refreshBeforeMs = opts.refreshBeforeMs ?? 5 * 60_000
  const leaseMs = opts.leaseMs ?? 20_000
  const pollMs = opts.pollMs ?? 100
  const maxWaitMs = opts.maxWaitMs ?? 2 * leaseMs
  const failureHoldMs = opts.failureHoldMs ?? 5_000
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const owner = opts.owner ?? `bff-${randomBytes(6).toString('hex')}`
  const memory = new Map<TicketKind, StoredTicket>()
  const inflight = new Map<TicketKind, Promise<string>>()
  const failures = new Map<TicketKind, { error: unknown; until: number }>()

  async function fetchTicket(kind: TicketKind): Promise<StoredTicket> {
    const { path, query } = SOURCES[kind]
    // Lifetime counts from before the request, as for access tokens.
    const startedAt = now()
    const res = await opts.client.get<{ ticket?: unknown; expires_in?: unknown }>(path, query)
    if (typeof res.ticket !== 'string' || !res.ticket) {
      throw new WeComTransportError({ path, failure: 'body', message: `WeCom GET ${path}: response has no ticket` })
    }
    const expiresIn = Number(res.expires_in)
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200) * 1000
    opts.logger?.info('wecom jsapi ticket fetched', { kind, scope: opts.scope, expiresInSec: lifetimeMs / 1000 })
    return { ticket: res.ticket, expiresAt: startedAt + lifetimeMs, refreshAt: startedAt + lifetimeMs - Math.min(refreshBeforeMs, lifetimeMs / 2) }
  }

  async function resolve(kind: TicketKind): Promise<string> {
    const key = `${opts.scope}/${kind}`
    const giveUpAt = now() + maxWaitMs
    for (;;) {
      const t = now()
      const claim = await opts.store.claim(key, owner, t, leaseMs)
      if (claim.state === 'fresh') {
        memory.set(kind, claim.ticket)
        return claim.ticket.ticket
      }
      if (claim.state === 'busy') {
        // Tickets are refreshed minutes before they expire, so the one being replaced still works.
        if (claim.ticket && t < claim.ticket.expiresAt - USABLE_FOR_MS) return claim.ticket.ticket
        if (t >= giveUpAt) {
          throw new WeComTransportError({ path: SOURCES[kind].path, failure: 'timeout', message: `another instance has held the ${kind} jsapi_ticket fetch for over ${maxWaitMs} ms` })
        }
        await sleep(pollMs)
        continue
      }
      let fetched: StoredTicket
      try {
        fetched = await fetchTicket(kind)
      } catch (e) {
        await opts.store.release(key, owner).catch(() => {})
        const old = claim.ticket
        if (!old || now() >= old.expiresAt - USABLE_FOR_MS) throw e
        // An early refresh failed (45009, WeCom busy): the current ticket still has minutes to
        // live, so keep signing with it and try again after the hold.
        opts.logger?.warn('could not refresh the jsapi ticket; using the current one until it expires', {
          kind,
          scope: opts.scope,
          err: e instanceof Error ? e.message : String(e),
        })
        memory.set(kind, { ...old, refreshAt: Math.min(now() + failureHoldMs, old.expiresAt - USABLE_FOR_MS) })
        return old.ticket
      }
      // A ticket in hand is good even if the store cannot take it: the lease then runs out by itself.
      await opts.store.save(key, owner, fetched).catch((e: unknown) => {
        opts.logger?.warn('could not store the jsapi ticket; other instances will fetch their own', { kind, err: e instanceof Error ? e.message : String(e) })
      })
      memory.set(kind, fetched)
      return fetched.ticket
    }
  }

  return {
    get(kind) {
      const cached = memory.get(kind)
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.ticket)
      const failed = failures.get(kind)
      if (failed && now() < failed.until) return Promise.reject(failed.error)
      let flight = inflight.get(kind)
      if (!flight) {
        flight = resolve(kind)
          .catch((e: unknown) => {
            // WeCom counts every ticket call against ~100 an hour: do not let a burst of page
            // loads during an outage spend them all.
            failures.set(kind, { error: e, until: now() + failureHoldMs })
            throw e
          })
          .finally(() => inflight.delete(kind))
        inflight.set(kind, flight)
      }
      return flight
    },
  }
}
