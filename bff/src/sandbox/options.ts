import type { OrgSize } from './demo-org'

export interface SandboxOptions {
  /** Default SANDBOX_DEFAULTS.corpId. */
  corpId?: string
  /** Default '1000002'. */
  agentId?: string
  /** The app secret; default SANDBOX_DEFAULTS.secret. */
  secret?: string
  /** host[:port] that redirect_uri must match exactly, e.g. 'localhost:3000' (else 50001). */
  trustedDomain: string
  /** Default ['127.0.0.1', '::1', '::ffff:127.0.0.1']; an empty array allows nobody. */
  ipAllowlist?: string[]
  /** ms clock, injectable for expiry tests. */
  now?: () => number
  /** The portal's URL, for "open the app as …" links on the sandbox's pages. */
  appUrl?: string
  /** Size and seed of the generated org (default 24 departments, 240 members). */
  org?: OrgSize
}

/** Deterministic demo credentials: shown on the sandbox's index page, never secret. */
export const SANDBOX_DEFAULTS = {
  corpId: 'ww5ad0c1b0e2f3a4c6',
  agentId: '1000002',
  secret: 'SbxSecret_Xinghe-Demo-App-Only-0123456789aZ',
} as const satisfies { corpId: string; agentId: string; secret: string }

export const DEFAULT_IP_ALLOWLIST: readonly string[] = ['127.0.0.1', '::1', '::ffff:127.0.0.1']

/** 7200 s, as WeCom documents. */
export const DEFAULT_TOKEN_EXPIRES_IN = 7200

/** Codes die 5 minutes after issue (wecom-api.md §2.1). */
export const CODE_TTL_MS = 5 * 60 * 1000

/** user_ticket lives 1800 s (wecom-api.md §2.2). */
export const USER_TICKET_TTL_S = 1800

/** The one non-member identity the sandbox offers: an outside WeChat user. */
export const EXTERNAL_CHOICE = '@external'
export const EXTERNAL_OPENID = 'oWwSandboxExternalWeChatUser01'
