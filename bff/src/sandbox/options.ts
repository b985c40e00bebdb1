import type { OrgSize } from './directory/demo-org'
import type { SandboxSettings } from './state'

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
  /** The 通讯录同步 (contact-sync) secret: its tokens may call user/list_id; default SANDBOX_DEFAULTS.contactSecret. */
  contactSecret?: string
  /** The app's 可见范围; default the whole org (DEFAULT_VISIBLE_RANGE). `tags` may be left out. */
  visibleRange?: Omit<VisibleRange, 'tags'> & { tags?: number[] }
  /** The corp's tags (通讯录 → 标签); default none. */
  tags?: SandboxTag[]
  /** Frequency/concurrency limits per API (https://developer.work.weixin.qq.com/document/path/90312); default DEFAULT_LIMITS. */
  limits?: Partial<SandboxLimits>
  /** Members one user/list answer may carry before it fails with 45029; default 5000. */
  maxListResponse?: number
  /** The app's 接收消息 server: change_contact events are POSTed there. */
  callback?: CallbackConfig
  /** Waits before the 2nd and 3rd delivery attempt; default [1000, 2000]. */
  callbackRetryDelaysMs?: number[]
  /** How long WeCom waits for the callback's answer; default 5000 (https://developer.work.weixin.qq.com/document/path/90930). */
  callbackTimeoutMs?: number
  /** Members without an interface licence: message/send lists them in `unlicenseduser` and skips them. */
  unlicensedUsers?: string[]
}

/**
 * Departments include their subtree; `users` adds single members outside them; `tags` adds each
 * tag's members and departments (with their subtrees), as WeCom's 可见范围 does.
 */
export interface VisibleRange {
  departments: number[]
  users: string[]
  tags: number[]
}

/** A tag (标签) as tag/get describes it: members by userid (lower-cased) and departments. */
export interface SandboxTag {
  tagid: number
  tagname: string
  users: string[]
  departments: number[]
}

export interface SandboxLimits {
  /** Calls per API per minute before 45009 (WeCom: 10,000 per corp). */
  perMinutePerApi: number
  /** Calls of one API in flight at once before 45033; 0 = unlimited. */
  maxConcurrentPerApi: number
}

/** What the admin enters under 接收消息 → 设置API接收. */
export interface CallbackConfig {
  url: string
  token: string
  /** 43 characters of [a-zA-Z0-9]. */
  encodingAesKey: string
}

/** Deterministic demo credentials: shown on the sandbox's index page, never secret. */
export const SANDBOX_DEFAULTS = {
  corpId: 'ww5ad0c1b0e2f3a4c6',
  agentId: '1000002',
  secret: 'SbxSecret_Xinghe-Demo-App-Only-0123456789aZ',
  contactSecret: 'SbxContactSync_Xinghe-Demo-Directory-012345',
} as const satisfies { corpId: string; agentId: string; secret: string; contactSecret: string }

/** The callback Token and EncodingAESKey sandbox mode uses (public: printed at start and in the README). */
export const SANDBOX_CALLBACK = {
  token: 'SandboxCallbackToken',
  encodingAesKey: 'SandboxEncodingAesKey0123456789abcdefghijkl',
} as const

export const DEFAULT_IP_ALLOWLIST: readonly string[] = ['127.0.0.1', '::1', '::ffff:127.0.0.1']

export const DEFAULT_VISIBLE_RANGE: Readonly<VisibleRange> = Object.freeze({ departments: [1], users: [], tags: [] })

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({ perMinutePerApi: 10_000, maxConcurrentPerApi: 0 })

export const DEFAULT_MAX_LIST_RESPONSE = 5000

/** WeCom tries 3 times in all; the gaps are the sandbox's choice (WeCom does not publish them). */
export const DEFAULT_CALLBACK_RETRY_DELAYS_MS: readonly number[] = [1000, 2000]

export const DEFAULT_CALLBACK_TIMEOUT_MS = 5000

/** 7200 s, as WeCom documents. */
export const DEFAULT_TOKEN_EXPIRES_IN = 7200

/** Codes die 5 minutes after issue (https://developer.work.weixin.qq.com/document/path/91023). */
export const CODE_TTL_MS = 5 * 60 * 1000

/** user_ticket lives 1800 s (https://developer.work.weixin.qq.com/document/path/91023). */
export const USER_TICKET_TTL_S = 1800

/** The one non-member identity the sandbox offers: an outside WeChat user. */
export const EXTERNAL_CHOICE = '@external'
export const EXTERNAL_OPENID = 'oWwSandboxExternalWeChatUser01'

/** The settings a sandbox starts with (and reset returns to). */
export function sandboxSettings(opts: SandboxOptions): SandboxSettings {
  const range = opts.visibleRange ?? DEFAULT_VISIBLE_RANGE
  return {
    tokenExpiresIn: DEFAULT_TOKEN_EXPIRES_IN,
    trustedDomain: opts.trustedDomain,
    ipAllowlist: [...(opts.ipAllowlist ?? DEFAULT_IP_ALLOWLIST)],
    visibleRange: { departments: [...range.departments], users: range.users.map((u) => u.toLowerCase()), tags: [...(range.tags ?? [])] },
    tags: (opts.tags ?? []).map(copyTag),
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    maxListResponse: opts.maxListResponse ?? DEFAULT_MAX_LIST_RESPONSE,
    callback: opts.callback ? { ...opts.callback } : null,
    callbackRetryDelaysMs: [...(opts.callbackRetryDelaysMs ?? DEFAULT_CALLBACK_RETRY_DELAYS_MS)],
    unlicensedUsers: (opts.unlicensedUsers ?? []).map((u) => u.toLowerCase()),
  }
}

export function copyTag(t: SandboxTag): SandboxTag {
  return { tagid: t.tagid, tagname: t.tagname, users: t.users.map((u) => u.toLowerCase()), departments: [...t.departments] }
}
