/** A JS-SDK ticket as kept between fetches. Times are ms since the epoch. */
export interface StoredTicket {
  ticket: string
  /** WeCom stops accepting it from here. */
  expiresAt: number
  /** From here on the next caller should fetch a new one (a few minutes before expiry). */
  refreshAt: number
}

/**
 * What `claim` found:
 * - `fresh`: a ticket not yet due for refresh — use it;
 * - `claimed`: the caller now holds the fetch lease and must `save` or `release`;
 * - `busy`: another owner holds a live lease and is fetching; `ticket` is the one it replaces.
 */
export type TicketClaim =
  | { state: 'fresh'; ticket: StoredTicket }
  | { state: 'claimed'; ticket?: StoredTicket }
  | { state: 'busy'; ticket?: StoredTicket; leaseUntil: number }

/**
 * Where tickets live so that every BFF instance shares them: WeCom allows an app about 100 ticket
 * fetches an hour (https://developer.work.weixin.qq.com/document/path/90506, https://developer.work.weixin.qq.com/document/path/90312), so instances must not each fetch their own. The lease
 * is what lets only one of them fetch when the shared ticket is due; it is held for a bounded time
 * rather than as an open lock across the HTTP call, so a crashed or slow fetcher cannot wedge the
 * others and no database connection waits on WeCom.
 */
export interface TicketStore {
  /** Atomically: the fresh ticket under `key`, or the lease (until `now + leaseMs`) to fetch one. */
  claim(key: string, owner: string, now: number, leaseMs: number): Promise<TicketClaim>
  /** Stores a fetched ticket and ends `owner`'s lease. */
  save(key: string, owner: string, ticket: StoredTicket): Promise<void>
  /** Ends `owner`'s lease without a new ticket (the fetch failed). */
  release(key: string, owner: string): Promise<void>
}
