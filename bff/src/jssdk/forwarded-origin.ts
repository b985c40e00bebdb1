/** A bare host with an optional port: a name, IPv4, or bracketed IPv6. Nothing else may ride along. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i

/**
 * The origin the browser used for this request, as a trusted reverse proxy reports it:
 * X-Forwarded-Proto and X-Forwarded-Host (else Host). Call it only when TRUST_PROXY is set.
 * With several comma-separated values the last one counts: it is the one the proxy nearest to
 * us wrote, the earlier ones came from further out (possibly from the client). Undefined when
 * the headers are missing or malformed.
 */
export function forwardedOrigin(header: (name: string) => string | undefined, requestUrl: string): string | undefined {
  const last = (v: string | undefined) => v?.split(',').pop()?.trim() || undefined
  const proto = (last(header('x-forwarded-proto')) ?? new URL(requestUrl).protocol.replace(/:$/, '')).toLowerCase()
  const host = last(header('x-forwarded-host')) ?? header('host')?.trim()
  if ((proto !== 'http' && proto !== 'https') || !host || !HOST.test(host)) return undefined
  try {
    // Normalises case and default ports, as the browser's location.origin does.
    return new URL(`${proto}://${host}`).origin
  } catch {
    return undefined
  }
}
