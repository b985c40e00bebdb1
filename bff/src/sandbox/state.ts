import type { Fault } from './faults'
import type { OrgIndex } from './org-index'
import type { MemberStatus } from './org-types'
import { createRng, type Rng } from './prng'

export interface SandboxSettings {
  /** Seconds; applies to tokens already issued too (their expiry is issuedAt + this). */
  tokenExpiresIn: number
  trustedDomain: string
  ipAllowlist: string[]
}

export interface IssuedToken {
  value: string
  issuedAt: number
  /** Set by the admin API to mimic WeCom invalidating a token early. */
  revoked: boolean
}

export type CodeIdentity = { kind: 'member'; userid: string } | { kind: 'external'; openid: string }

export interface IssuedCode {
  identity: CodeIdentity
  /** 'oauth' = in-client authorize, 'qr' = web login; only oauth+privateinfo yields user_ticket. */
  flow: 'oauth' | 'qr'
  scope: string
  redirectUri: string
  issuedAt: number
  used: boolean
}

export interface SandboxState {
  readonly corpId: string
  readonly agentId: string
  readonly secret: string
  readonly appUrl: string | undefined
  readonly now: () => number
  settings: SandboxSettings
  readonly initialSettings: Readonly<SandboxSettings>
  readonly directory: OrgIndex
  /** Every token ever issued, so an old one answers 42001 rather than 40014. */
  tokens: Map<string, IssuedToken>
  /** The one gettoken hands out again while it is valid. */
  currentToken: IssuedToken | undefined
  codes: Map<string, IssuedCode>
  userTickets: Map<string, { userid: string; expiresAt: number }>
  faults: Fault[]
  /** Requests per path (cgi-bin and the browser pages). */
  calls: Map<string, number>
  counters: { tokensIssued: number; codesIssued: number; faultsApplied: number; nextFaultId: number; rid: number }
  /** Statuses as generated, for members changed through the admin API (restored on reset). */
  originalStatuses: Map<string, MemberStatus>
  /** Seeded so that `probability` faults fire in the same pattern on every run. */
  faultRng: Rng
}

const FAULT_SEED = 7

export function createState(init: {
  corpId: string
  agentId: string
  secret: string
  appUrl: string | undefined
  now: () => number
  settings: SandboxSettings
  directory: OrgIndex
}): SandboxState {
  return {
    ...init,
    settings: copySettings(init.settings),
    initialSettings: Object.freeze(copySettings(init.settings)),
    tokens: new Map(),
    currentToken: undefined,
    codes: new Map(),
    userTickets: new Map(),
    faults: [],
    calls: new Map(),
    counters: { tokensIssued: 0, codesIssued: 0, faultsApplied: 0, nextFaultId: 1, rid: 0 },
    originalStatuses: new Map(),
    faultRng: createRng(FAULT_SEED),
  }
}

/** Back to the construction values: tokens, codes, faults, counters, settings, member statuses. */
export function resetState(s: SandboxState): void {
  s.settings = copySettings(s.initialSettings)
  s.tokens.clear()
  s.currentToken = undefined
  s.codes.clear()
  s.userTickets.clear()
  s.faults.length = 0
  s.calls.clear()
  s.counters = { tokensIssued: 0, codesIssued: 0, faultsApplied: 0, nextFaultId: 1, rid: 0 }
  for (const [userid, status] of s.originalStatuses) {
    const m = s.directory.members.get(userid)
    if (m) m.status = status
  }
  s.originalStatuses.clear()
  s.faultRng = createRng(FAULT_SEED)
}

function copySettings(s: Readonly<SandboxSettings>): SandboxSettings {
  return { tokenExpiresIn: s.tokenExpiresIn, trustedDomain: s.trustedDomain, ipAllowlist: [...s.ipAllowlist] }
}
