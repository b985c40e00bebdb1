import { randomBytes } from 'node:crypto'
import type { SandboxState } from '../state'

/** `corp` from get_jsapi_ticket, `agent_config` from ticket/get?type=agent_config (https://developer.work.weixin.qq.com/document/path/90506). */
export type TicketKind = 'corp' | 'agent_config'

export interface IssuedTicket {
  kind: TicketKind
  value: string
  issuedAt: number
  expiresAt: number
}

/** WeCom's documented lifetime. */
export const TICKET_EXPIRES_IN_S = 7200

const HOUR_MS = 3_600_000

/**
 * Hourly caps (https://developer.work.weixin.qq.com/document/path/90506, https://developer.work.weixin.qq.com/document/path/90312): get_jsapi_ticket ≤400 per corp and ≤100 per app;
 * the app ticket ≤100 per app (believed: WeCom's pages do not say it for this ticket).
 */
export const TICKET_LIMITS = {
  corpTicketPerCorp: 400,
  corpTicketPerApp: 100,
  agentTicketPerApp: 100,
} as const

export interface JsapiTicketState {
  /** What each endpoint hands out again while it is valid. */
  current: Partial<Record<TicketKind, IssuedTicket>>
  /** Everything issued since the last reset, oldest first. */
  issued: IssuedTicket[]
  /** Fixed one-hour windows from their first call, per limit. */
  windows: Map<keyof typeof TICKET_LIMITS, { start: number; count: number }>
  /** Calls answered with 45009. */
  limited: number
}

// Kept beside SandboxState rather than in it, so the JS-SDK stand-in is one self-contained
// module; admin/routes.ts resets it and reports it with the rest.
const states = new WeakMap<SandboxState, JsapiTicketState>()

export function ticketState(s: SandboxState): JsapiTicketState {
  let t = states.get(s)
  if (!t) states.set(s, (t = { current: {}, issued: [], windows: new Map(), limited: 0 }))
  return t
}

export function resetTicketState(s: SandboxState): void {
  states.delete(s)
}

/**
 * Counts a call against each of `limits`; true when any is overrun. Every call counts, refused
 * ones too, and the window is fixed from its first call: WeCom blocks for the rest of the hour.
 */
export function overHourlyLimit(s: SandboxState, limits: (keyof typeof TICKET_LIMITS)[]): boolean {
  const t = ticketState(s)
  const now = s.now()
  let over = false
  for (const name of limits) {
    let w = t.windows.get(name)
    if (!w || now - w.start >= HOUR_MS) t.windows.set(name, (w = { start: now, count: 0 }))
    w.count += 1
    if (w.count > TICKET_LIMITS[name]) over = true
  }
  if (over) t.limited += 1
  return over
}

/** The ticket still valid for `kind`, or a new one; `expiresIn` is what it has left, like gettoken. */
export function getOrIssueTicket(s: SandboxState, kind: TicketKind): { ticket: IssuedTicket; expiresIn: number } {
  const t = ticketState(s)
  const now = s.now()
  let ticket = t.current[kind]
  if (!ticket || now >= ticket.expiresAt) {
    // Real ones are ~86 base64-ish characters (≤512 bytes allowed).
    ticket = { kind, value: randomBytes(64).toString('base64url'), issuedAt: now, expiresAt: now + TICKET_EXPIRES_IN_S * 1000 }
    t.current[kind] = ticket
    t.issued.push(ticket)
  }
  return { ticket, expiresIn: Math.max(1, Math.ceil((ticket.expiresAt - now) / 1000)) }
}

/** For /sandbox/admin/stats: what was issued and how full each hourly window is. */
export function ticketStats(s: SandboxState) {
  const t = ticketState(s)
  return {
    corpTicketsIssued: t.issued.filter((i) => i.kind === 'corp').length,
    agentTicketsIssued: t.issued.filter((i) => i.kind === 'agent_config').length,
    limited: t.limited,
    windows: Object.fromEntries(
      [...t.windows].map(([name, w]) => [name, { count: w.count, limit: TICKET_LIMITS[name], resetsAt: new Date(w.start + HOUR_MS).toISOString() }]),
    ),
  }
}
