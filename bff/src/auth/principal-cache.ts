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

  forget(sessionId: string): void {
    this.entries.delete(sessionId)
  }

  forgetMember(userid: string): void {
    for (const [k, e] of this.entries) if (e.p.member.userid === userid) this.entries.delete(k)
  }

  clear(): void {
    this.entries.clear()
  }
}
