import type { LocationQuery } from 'vue-router'

/** The first non-empty value of a query parameter (repeated keys arrive as arrays). */
export function queryString(query: LocationQuery, key: string): string | undefined {
  const raw = query[key]
  const v = Array.isArray(raw) ? raw[0] : raw
  return typeof v === 'string' && v.length > 0 ? v : undefined
}
