import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** 256 random bits, URL-safe. */
export function randomId(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** HMAC-SHA256 in hex: only [0-9a-f], so it fits WeCom's `state` alphabet. */
export function sign(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex')
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
