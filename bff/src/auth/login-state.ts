import type { Queryable } from '../db'
import { randomHex, randomId, safeEqual, sha256, sign } from './tokens'

/** WeCom echoes `state` untouched; it allows [a-zA-Z0-9] up to 128 bytes, so: 32 hex nonce + 32 hex MAC. */
const STATE = /^([0-9a-f]{32})([0-9a-f]{32})$/
export const STATE_TTL_MS = 10 * 60_000

export type StateFailure = 'malformed' | 'bad_signature' | 'unknown' | 'used' | 'expired' | 'other_browser'
/**
 * `embed` is present (true) only for a login started inside a host app's iframe; `consentFor`
 * only for a snsapi_privateinfo sign-in, naming the signed-in member who asked to share details.
 */
export type ConsumedState = { ok: true; returnTo: string; retry: number; embed?: true; consentFor?: string } | { ok: false; why: StateFailure }

export function newBrowserId(): string {
  return randomId(24)
}

export async function createLoginState(
  db: Queryable,
  secret: string,
  i: { browserId: string; returnTo: string; retry?: number; embed?: boolean; consentFor?: string; now: number },
): Promise<string> {
  const hexNonce = randomHex(16)
  // Keep the table small: states older than a day can never be used.
  await db.query('delete from login_states where created_at < $1', [new Date(i.now - 86_400_000)])
  await db.query(
    'insert into login_states (nonce, browser_hash, return_to, retry, embed, consent_for, created_at) values ($1, $2, $3, $4, $5, $6, $7)',
    [hexNonce, sha256(i.browserId), i.returnTo, i.retry ?? 0, i.embed ?? false, i.consentFor ?? null, new Date(i.now)],
  )
  return hexNonce + mac(secret, hexNonce)
}

/** Single use: the state is spent by the first call that names it, whatever the outcome. */
export async function consumeLoginState(
  db: Queryable,
  secret: string,
  i: { state: string; browserId: string | undefined; now: number },
): Promise<ConsumedState> {
  const m = STATE.exec(i.state)
  if (!m) return { ok: false, why: 'malformed' }
  const [, nonce, tag] = m as unknown as [string, string, string]
  if (!safeEqual(tag, mac(secret, nonce))) return { ok: false, why: 'bad_signature' }
  const rows = await db.query<{ browser_hash: string; return_to: string; retry: number; embed: boolean; consent_for: string | null; created_at: Date }>(
    'update login_states set used_at = $2 where nonce = $1 and used_at is null returning browser_hash, return_to, retry, embed, consent_for, created_at',
    [nonce, new Date(i.now)],
  )
  const row = rows[0]
  if (!row) {
    const seen = await db.query('select 1 from login_states where nonce = $1', [nonce])
    return { ok: false, why: seen.length ? 'used' : 'unknown' }
  }
  if (i.now - new Date(row.created_at).getTime() > STATE_TTL_MS) return { ok: false, why: 'expired' }
  if (!i.browserId || !safeEqual(row.browser_hash, sha256(i.browserId))) return { ok: false, why: 'other_browser' }
  return {
    ok: true,
    returnTo: row.return_to,
    retry: row.retry,
    ...(row.embed ? { embed: true as const } : {}),
    ...(row.consent_for ? { consentFor: row.consent_for } : {}),
  }
}

function mac(secret: string, nonce: string): string {
  return sign(secret, `login-state:${nonce}`).slice(0, 32)
}
