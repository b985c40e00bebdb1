import type { Role } from '@portal/shared'
import type { MemberRecord } from '../directory/member-store'
import type { SessionRow } from './sessions'

export interface Principal {
  session: SessionRow
  member: MemberRecord
  roles: Role[]
  departmentNames: Map<number, string>
  /** When the session row was last touched in the database (idle expiry slides from there). */
  touchedAt: number
}

/**
 * Who a session cookie belongs to, remembered for a few seconds so that hot endpoints cost no
 * database round trip. Revocations on this instance evict at once; on other instances (several
 * BFFs on one PostgreSQL) a revoked session lives at most `ttlMs` longer.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { p: Principal; at: number }>()
  /** Loads in flight: when an entry expires under load, one query set serves every request waiting. */
  private readonly loading = new Map<string, Promise<Principal>>()
  /** Moves on every eviction: a load that started before one must not refill the cache. */
  private generation = 0

  constructor(
    private readonly ttlMs = 5_000,
    private readonly max = 20_000,
  ) {}

  /** Keyed by the cookie's session id: memory only, never logged or stored. */
  get(sessionId: string, now: number): Principal | undefined {
    const e = this.entries.get(sessionId)
    if (!e) return undefined
    if (now - e.at > this.ttlMs) {
      this.entries.delete(sessionId)
      return undefined
    }
    return e.p
  }

  set(sessionId: string, p: Principal, now: number): void {
    // Maps iterate in insertion order: dropping the first entry drops the oldest.
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(sessionId, { p, at: now })
  }

  /**
   * The principal from `loader`, cached; concurrent callers for one session share one load (100
   * requests on an expired entry would otherwise each run the same queries, and queue behind the
   * database together).
   */
  load(sessionId: string, now: number, loader: () => Promise<Principal>): Promise<Principal> {
    const inFlight = this.loading.get(sessionId)
    if (inFlight) return inFlight
    const generation = this.generation
    const loaded = loader()
      .then((p) => {
        if (generation === this.generation) this.set(sessionId, p, now)
        return p
      })
      .finally(() => {
        if (this.loading.get(sessionId) === loaded) this.loading.delete(sessionId)
      })
    this.loading.set(sessionId, loaded)
    return loaded
  }

  forget(sessionId: string): void {
    this.evicted()
    this.entries.delete(sessionId)
  }

  /** Every session of these members: one pass over the cache, however many (a sync may end thousands). */
  forgetMembers(userids: Iterable<string>): void {
    this.evicted()
    const gone = new Set(userids)
    for (const [k, e] of this.entries) if (gone.has(e.p.member.userid)) this.entries.delete(k)
  }

  clear(): void {
    this.evicted()
    this.entries.clear()
  }

  private evicted(): void {
    this.generation++
    this.loading.clear()
  }
}
