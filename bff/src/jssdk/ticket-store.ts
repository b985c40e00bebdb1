import type { Db } from '../db'
import type { StoredTicket, TicketClaim, TicketStore } from '../wecom'

interface Row {
  ticket: string | null
  expires_at: Date | null
  refresh_at: Date | null
  lease_owner: string | null
  lease_until: Date | null
}

/**
 * Tickets in the `jsapi_tickets` table. A claim is one short transaction around a row lock
 * (`select … for update`): instances that find the ticket due at the same moment queue on the
 * row, the first takes the lease, the rest see it and wait or use the old ticket. The lock is
 * not held across the WeCom call: on PGlite a transaction blocks every other query of the app.
 * Times come from the caller's clock, so leases and expiry follow the instance's `now`.
 */
export function createDbTicketStore(db: Db): TicketStore {
  return {
    claim(key, owner, now, leaseMs) {
      return db.transaction(async (tx): Promise<TicketClaim> => {
        await tx.query('insert into jsapi_tickets (key) values ($1) on conflict (key) do nothing', [key])
        const [row] = await tx.query<Row>('select ticket, expires_at, refresh_at, lease_owner, lease_until from jsapi_tickets where key = $1 for update', [key])
        const ticket = row ? toTicket(row) : undefined
        if (ticket && now < ticket.refreshAt) return { state: 'fresh', ticket }
        const leaseUntil = row?.lease_until?.getTime()
        if (row?.lease_owner && row.lease_owner !== owner && leaseUntil !== undefined && now < leaseUntil) {
          return ticket ? { state: 'busy', ticket, leaseUntil } : { state: 'busy', leaseUntil }
        }
        await tx.query('update jsapi_tickets set lease_owner = $2, lease_until = $3 where key = $1', [key, owner, new Date(now + leaseMs)])
        return ticket ? { state: 'claimed', ticket } : { state: 'claimed' }
      })
    },

    async save(key, owner, t) {
      // Saved even if the lease ran out meanwhile: a newer ticket is never worse. The lease is
      // only cleared when it is still ours, so a later claimant keeps its own.
      await db.query(
        `update jsapi_tickets set ticket = $3, expires_at = $4, refresh_at = $5, fetched_at = now(),
           lease_owner = case when lease_owner = $2 then null else lease_owner end,
           lease_until = case when lease_owner = $2 then null else lease_until end
         where key = $1`,
        [key, owner, t.ticket, new Date(t.expiresAt), new Date(t.refreshAt)],
      )
    },

    async release(key, owner) {
      await db.query('update jsapi_tickets set lease_owner = null, lease_until = null where key = $1 and lease_owner = $2', [key, owner])
    },
  }
}

function toTicket(row: Row): StoredTicket | undefined {
  if (!row.ticket || !row.expires_at || !row.refresh_at) return undefined
  return { ticket: row.ticket, expiresAt: row.expires_at.getTime(), refreshAt: row.refresh_at.getTime() }
}
