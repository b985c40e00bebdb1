import type { ProblemReason } from '@portal/shared'
import type { Context } from 'hono'
import type { Config } from '../config'
import { appPath } from '../paths'

export interface ProblemFacts {
  errcode?: number
  ip?: string
  domain?: string
  contact?: string
  status?: number
  returnTo?: string
  /** state_invalid: why the login state was refused (other_browser, used, expired, invalid). */
  why?: string
}

/** Sends the browser to the H5's problem page, which explains `reason` in plain words. */
export function redirectToProblem(c: Context, config: Config, reason: ProblemReason, facts: ProblemFacts = {}): Response {
  const q = new URLSearchParams({ reason })
  for (const [k, v] of Object.entries(facts)) if (v !== undefined && v !== '') q.set(k, String(v))
  return c.redirect(appPath(config, `/problem?${q}`), 302)
}
