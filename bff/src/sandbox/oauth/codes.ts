import { randomBytes } from 'node:crypto'
import { CODE_TTL_MS } from '../options'
import type { CodeIdentity, IssuedCode, SandboxState } from '../state'

export function issueCode(
  s: SandboxState,
  identity: CodeIdentity,
  flow: IssuedCode['flow'],
  scope: string,
  redirectUri: string,
  consented?: boolean,
): string {
  pruneCodes(s)
  const code = randomBytes(32).toString('base64url')
  s.codes.set(code, { identity, flow, scope, redirectUri, issuedAt: s.now(), used: false, ...(consented !== undefined ? { consented } : {}) })
  s.counters.codesIssued += 1
  return code
}

export type RedeemResult = { ok: true; code: IssuedCode } | { ok: false; errcode: 40029 | 50001 }

/**
 * Single use, 5 minutes (40029), and the redirect_uri's host:port must equal the trusted domain
 * exactly (50001, https://developer.work.weixin.qq.com/document/path/90313). A 50001 does not spend the code: nothing was exchanged.
 */
export function redeemCode(s: SandboxState, value: string): RedeemResult {
  const code = s.codes.get(value)
  if (!code || code.used) return { ok: false, errcode: 40029 }
  if (s.now() >= code.issuedAt + CODE_TTL_MS) {
    code.used = true
    return { ok: false, errcode: 40029 }
  }
  if (!hostMatches(code.redirectUri, s.settings.trustedDomain)) return { ok: false, errcode: 50001 }
  code.used = true
  return { ok: true, code }
}

export function hostMatches(uri: string, trustedDomain: string): boolean {
  try {
    return new URL(uri).host.toLowerCase() === trustedDomain.trim().toLowerCase()
  } catch {
    return false
  }
}

/** Codes are kept in issue order, so the dead ones sit at the front; O(pruned). */
function pruneCodes(s: SandboxState): void {
  const cutoff = s.now() - CODE_TTL_MS
  for (const [value, code] of s.codes) {
    if (code.issuedAt > cutoff) break
    s.codes.delete(value)
  }
}
