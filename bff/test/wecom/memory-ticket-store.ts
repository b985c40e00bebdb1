import type { StoredTicket, TicketClaim, TicketStore } from '../../src/wecom'

/** The TicketStore contract in memory (what the database store does, minus the database), with counters. */
export function memoryTicketStore() {
  const rows = new Map<string, { ticket?: StoredTicket; owner?: string; leaseUntil?: number }>()
  const stats = { claims: 0, saves: 0, releases: 0 }
  const store: TicketStore = {
    async claim(key, owner, now, leaseMs): Promise<TicketClaim> {
      stats.claims += 1
      const row = rows.get(key) ?? {}
      rows.set(key, row)
      if (row.ticket && now < row.ticket.refreshAt) return { state: 'fresh', ticket: row.ticket }
      if (row.owner && row.owner !== owner && row.leaseUntil !== undefined && now < row.leaseUntil) {
        return row.ticket ? { state: 'busy', ticket: row.ticket, leaseUntil: row.leaseUntil } : { state: 'busy', leaseUntil: row.leaseUntil }
      }
      row.owner = owner
      row.leaseUntil = now + leaseMs
      return row.ticket ? { state: 'claimed', ticket: row.ticket } : { state: 'claimed' }
    },
    async save(key, owner, ticket) {
      stats.saves += 1
      const row = rows.get(key) ?? {}
      rows.set(key, row)
      row.ticket = ticket
      if (row.owner === owner) row.owner = row.leaseUntil = undefined
    },
    async release(key, owner) {
      stats.releases += 1
      const row = rows.get(key)
      if (row?.owner === owner) row.owner = row.leaseUntil = undefined
    },
  }
  return { store, rows, stats }
}
