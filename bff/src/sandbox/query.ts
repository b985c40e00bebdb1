/** Query parameters the sandbox adds to WeCom's own; they are dropped when links are rebuilt. */
export const SANDBOX_PARAMS = ['sandbox_userid', 'sandbox_pick', 'sandbox_scan', 'sandbox_cancel', 'sandbox_q', 'sandbox_consent'] as const

/** The request's own parameters minus the sandbox's, for hidden form fields and links. */
export function wecomParams(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(query)) if (!(SANDBOX_PARAMS as readonly string[]).includes(k)) out[k] = v
  return out
}

export function linkWith(path: string, params: Record<string, string>, extra: Record<string, string>): string {
  const query = new URLSearchParams({ ...params, ...extra }).toString()
  return query ? `${path}?${query}` : path
}
