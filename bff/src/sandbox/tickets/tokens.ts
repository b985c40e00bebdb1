import { randomBytes } from 'node:crypto'
import type { IssuedToken, SandboxState, TokenApp } from '../state'

export function tokenExpiresAt(s: SandboxState, t: IssuedToken): number {
  return t.issuedAt + s.settings.tokenExpiresIn * 1000
}

/**
 * WeCom (older doc revisions): "有效期内重复获取返回相同结果" — within validity the same token comes
 * back. expires_in is then the time it has left, so a client that caches for expires_in never
 * holds a dead token. Each secret (app, contact-sync) has its own token (https://developer.work.weixin.qq.com/document/path/91039).
 */
export function getOrIssueToken(s: SandboxState, app: TokenApp = 'agent'): { token: IssuedToken; expiresIn: number } {
  const now = s.now()
  let token = app === 'agent' ? s.currentToken : s.currentContactToken
  if (!token || token.revoked || now >= tokenExpiresAt(s, token)) {
    // Up to 512 bytes allowed; real ones are long base64-ish strings.
    token = { value: randomBytes(48).toString('base64url'), app, issuedAt: now, revoked: false }
    s.tokens.set(token.value, token)
    if (app === 'agent') s.currentToken = token
    else s.currentContactToken = token
    s.counters.tokensIssued += 1
  }
  return { token, expiresIn: Math.max(1, Math.ceil((tokenExpiresAt(s, token) - now) / 1000)) }
}

/** 0 = usable; 40014 unknown or revoked; 42001 expired. */
export function checkToken(s: SandboxState, value: string): 0 | 40014 | 42001 {
  const token = s.tokens.get(value)
  if (!token || token.revoked) return 40014
  if (s.now() >= tokenExpiresAt(s, token)) return 42001
  return 0
}

/** Which secret issued the (already checked) token; 'agent' if unknown, which the gate prevents. */
export function tokenApp(s: SandboxState, value: string | undefined): TokenApp {
  return (value && s.tokens.get(value)?.app) || 'agent'
}

/** Mimics WeCom invalidating tokens early: every call with them gets 40014 until a new gettoken. */
export function revokeTokens(s: SandboxState): number {
  let n = 0
  for (const t of s.tokens.values()) {
    if (!t.revoked) n += 1
    t.revoked = true
  }
  return n
}
