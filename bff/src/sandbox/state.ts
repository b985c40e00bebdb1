import { createApiConnections, resetApiConnections, type ApiConnections } from './api-connections'
import { createApprovalStore, type ApprovalStore } from './approvals/store'
import { clearCallbackLog, createCallbackLog, type CallbackLog } from './callbacks/log'
import type { Fault } from './faults'
import { createMessageStore, type MessageStore } from './messages/store'
import { copyTag, type CallbackConfig, type SandboxLimits, type SandboxTag, type VisibleRange } from './options'
import { reindexOrg, type OrgIndex } from './directory/org-index'
import type { Org } from './directory/org-types'
import { createRng, type Rng } from './prng'
import { createRateState, type RateState } from './rate-limits'

export interface SandboxSettings {
  /** Seconds; applies to tokens already issued too (their expiry is issuedAt + this). */
  tokenExpiresIn: number
  trustedDomain: string
  ipAllowlist: string[]
  visibleRange: VisibleRange
  /** The corp's tags; replaced whole when changed, so cached views notice. */
  tags: SandboxTag[]
  limits: SandboxLimits
  /** Members one user/list answer may carry; more → 45029. */
  maxListResponse: number
  /** null = no 接收消息 server configured: org changes send nothing. */
  callback: CallbackConfig | null
  /** Waits before the 2nd and 3rd delivery attempt. */
  callbackRetryDelaysMs: number[]
  /** Lower-cased userids message/send reports in `unlicenseduser` (and does not deliver to). */
  unlicensedUsers: string[]
}

/** Which secret a token came from: the app's, or the 通讯录同步 (contact-sync) one. */
export type TokenApp = 'agent' | 'contact'

export interface IssuedToken {
  value: string
  app: TokenApp
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
  /** snsapi_privateinfo only: whether the member agreed on the consent page. */
  consented?: boolean
}

/** A user_ticket: valid 1,800 s; `consented` decides whether auth/getuserdetail returns the private fields. */
export interface IssuedUserTicket {
  userid: string
  expiresAt: number
  consented: boolean
}

export interface SandboxState {
  readonly corpId: string
  readonly agentId: string
  readonly secret: string
  readonly contactSecret: string
  readonly appUrl: string | undefined
  readonly now: () => number
  /** How long a callback delivery waits for the answer (ms). */
  readonly callbackTimeoutMs: number
  settings: SandboxSettings
  readonly initialSettings: Readonly<SandboxSettings>
  /** Mutated in place by the org admin API; reset rebuilds it from `buildOrg`. */
  readonly directory: OrgIndex
  readonly buildOrg: () => Org
  /** Set by any org change, so reset only regenerates (≈0.5 s at 100k) when needed. */
  orgChanged: boolean
  /** Every token ever issued, so an old one answers 42001 rather than 40014. */
  tokens: Map<string, IssuedToken>
  /** The app token gettoken hands out again while it is valid. */
  currentToken: IssuedToken | undefined
  /** Same for the contact-sync secret. */
  currentContactToken: IssuedToken | undefined
  codes: Map<string, IssuedCode>
  userTickets: Map<string, IssuedUserTicket>
  faults: Fault[]
  /** Requests per path (cgi-bin and the browser pages). */
  calls: Map<string, number>
  counters: { tokensIssued: number; codesIssued: number; faultsApplied: number; nextFaultId: number; rid: number; messagesDelivered: number }
  /** Connections that carried /cgi-bin/ calls (kept across resets: they stay open). */
  readonly apiConnections: ApiConnections
  /** Seeded so that `probability` faults fire in the same pattern on every run. */
  faultRng: Rng
  rate: RateState
  callbacks: CallbackLog
  approvals: ApprovalStore
  messages: MessageStore
}

const FAULT_SEED = 7

export function createState(init: {
  corpId: string
  agentId: string
  secret: string
  contactSecret: string
  appUrl: string | undefined
  now: () => number
  callbackTimeoutMs: number
  settings: SandboxSettings
  directory: OrgIndex
  buildOrg: () => Org
}): SandboxState {
  return {
    ...init,
    settings: copySettings(init.settings),
    initialSettings: Object.freeze(copySettings(init.settings)),
    orgChanged: false,
    tokens: new Map(),
    currentToken: undefined,
    currentContactToken: undefined,
    codes: new Map(),
    userTickets: new Map(),
    faults: [],
    calls: new Map(),
    counters: { tokensIssued: 0, codesIssued: 0, faultsApplied: 0, nextFaultId: 1, rid: 0, messagesDelivered: 0 },
    apiConnections: createApiConnections(),
    faultRng: createRng(FAULT_SEED),
    rate: createRateState(),
    callbacks: createCallbackLog(),
    approvals: createApprovalStore(),
    messages: createMessageStore(),
  }
}

/** Back to the construction values: tokens, codes, faults, counters, settings, the org, callbacks, approvals, messages. */
export function resetState(s: SandboxState): void {
  s.settings = copySettings(s.initialSettings)
  s.tokens.clear()
  s.currentToken = undefined
  s.currentContactToken = undefined
  s.codes.clear()
  s.userTickets.clear()
  s.faults.length = 0
  s.calls.clear()
  s.counters = { tokensIssued: 0, codesIssued: 0, faultsApplied: 0, nextFaultId: 1, rid: 0, messagesDelivered: 0 }
  resetApiConnections(s.apiConnections)
  if (s.orgChanged) reindexOrg(s.directory, s.buildOrg())
  s.orgChanged = false
  s.faultRng = createRng(FAULT_SEED)
  s.rate = createRateState()
  clearCallbackLog(s.callbacks)
  s.approvals = createApprovalStore()
  s.messages = createMessageStore()
}

export function copySettings(s: Readonly<SandboxSettings>): SandboxSettings {
  return {
    tokenExpiresIn: s.tokenExpiresIn,
    trustedDomain: s.trustedDomain,
    ipAllowlist: [...s.ipAllowlist],
    visibleRange: { departments: [...s.visibleRange.departments], users: [...s.visibleRange.users], tags: [...s.visibleRange.tags] },
    tags: s.tags.map(copyTag),
    limits: { ...s.limits },
    maxListResponse: s.maxListResponse,
    callback: s.callback ? { ...s.callback } : null,
    callbackRetryDelaysMs: [...s.callbackRetryDelaysMs],
    unlicensedUsers: [...s.unlicensedUsers],
  }
}
