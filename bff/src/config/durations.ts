/** `90s`, `15m`, `8h`, `7d` or plain milliseconds → milliseconds; null when unreadable. */
export function parseDuration(value: string): number | null {
  const m = value.trim().match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/)
  if (!m) return null
  const n = Number(m[1])
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms']
  return Math.round(n * unit)
}
