import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import type { Config } from '../config'
import type { Logger } from '../log'
import { ApiFailure } from '../errors'

/** The host API's context: AppEnv plus the name of the host whose key was presented. */
export interface HostEnv {
  Variables: AppEnv['Variables'] & { host: string }
}

const REALM = 'Bearer realm="portal-host-api"'
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest()

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined. Any visible ASCII is
 * accepted (wider than RFC 6750's b64token) because HOST_API_KEYS does not restrict keys to it.
 */
export function parseBearer(header: string | undefined): string | undefined {
  const m = /^Bearer +([\x21-\x7E]+) *$/i.exec(header ?? '')
  return m?.[1]
}

/**
 * Returns a function naming the host whose key `presented` is, or undefined. Both sides are
 * hashed to 32 bytes first so `timingSafeEqual` never sees different lengths (which would throw,
 * and whose check would leak a key's length); every key is compared on every call, so the time
 * taken says neither whether nor which key matched.
 */
export function createHostKeyMatcher(keys: Config['hostApiKeys']): (presented: string) => string | undefined {
  const known = keys.map((k) => ({ name: k.name, digest: digest(k.key) }))
  return (presented) => {
    const d = digest(presented)
    let match: string | undefined
    for (const k of known) {
      const equal = timingSafeEqual(d, k.digest)
      match = equal && match === undefined ? k.name : match
    }
    return match
  }
}

export interface HostGateNeeds {
  config: Config
  log: Logger
}

/** Lets through requests carrying a configured host key; sets `host`. 401 otherwise (key never logged). */
export function requireHost(deps: HostGateNeeds): MiddlewareHandler<HostEnv> {
  const match = createHostKeyMatcher(deps.config.hostApiKeys)
  return async (c, next) => {
    const header = c.req.header('authorization')
    const token = parseBearer(header)
    const host = token === undefined ? undefined : match(token)
    if (!host) {
      const reason = !header ? 'missing' : token === undefined ? 'not a Bearer token' : 'unknown key'
      deps.log.info('host API request rejected', { requestId: c.get('requestId'), reason })
      c.header('WWW-Authenticate', header ? `${REALM}, error="invalid_token"` : REALM)
      throw new ApiFailure('unauthenticated', header ? 'The host API key is not valid.' : 'A host API key is required.', {
        hint: deps.config.hostApiKeys.length
          ? 'Send Authorization: Bearer <key> with a key from HOST_API_KEYS.'
          : 'No host keys are configured: set HOST_API_KEYS=name:key on the server.',
      })
    }
    c.set('host', host)
    await next()
  }
}
