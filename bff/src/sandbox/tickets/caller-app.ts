import type { Context } from 'hono'
import type { SandboxState, TokenApp } from '../state'
import { tokenApp } from './tokens'

/** Which secret the request's (already checked) access_token came from. */
export function callerApp(c: Context, s: SandboxState): TokenApp {
  return tokenApp(s, c.req.query('access_token'))
}
