import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import type { Deps } from '../deps'

// STUB — replaced by the verify-file work: GET /WW_verify_*.txt, public, from the database.
export function verifyFileServing(_deps: Deps) {
  return new Hono<AppEnv>()
}
