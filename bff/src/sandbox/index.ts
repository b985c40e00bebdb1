import { Hono } from 'hono'
import { registerAuth } from './api-auth'
import { registerDirectory } from './api-directory'
import { registerGettoken } from './api-gettoken'
import { cgiGate } from './cgi-gate'
import { buildDemoOrg } from './demo-org'
import { demoUsers, type DemoUser } from './demo-users'
import { wecomError } from './errors'
import { SandboxDropError } from './faults'
import { DEFAULT_IP_ALLOWLIST, DEFAULT_TOKEN_EXPIRES_IN, SANDBOX_DEFAULTS, type SandboxOptions } from './options'
import { indexOrg } from './org-index'
import { registerAdmin } from './route-admin'
import { registerAuthorize } from './route-authorize'
import { registerAvatar } from './route-avatar'
import { registerClient } from './route-client'
import { registerIndex } from './route-index'
import { registerQrLogin } from './route-qr-login'
import { createState, type SandboxState } from './state'

export { SANDBOX_DEFAULTS, EXTERNAL_CHOICE, EXTERNAL_OPENID, type SandboxOptions } from './options'
export type { SandboxState, SandboxSettings } from './state'
export type { DemoUser } from './demo-users'
export type { FaultSpec, Fault } from './faults'
export { generateOrg, type GenerateOrgInput, type FixedMember } from './org-generator'
export type { Org, Department, Member, MemberStatus } from './org-types'
export { TEST_IP_HEADER } from './client-ip'
export { USER_COOKIE } from './client-identity'

export interface Sandbox {
  /** The whole sandbox HTTP surface: serve it with @hono/node-server, or app.request in tests. */
  app: Hono
  /** In-memory org, tokens, codes, faults, settings; tests may inspect and mutate it. */
  state: SandboxState
  /** Who you can sign in as (for the start banner). */
  demoUsers(): DemoUser[]
}

/** A local stand-in for WeCom's servers and client (wecom-api.md §1–3, 5, 9). */
export function createSandbox(opts: SandboxOptions): Sandbox {
  const state = createState({
    corpId: opts.corpId ?? SANDBOX_DEFAULTS.corpId,
    agentId: opts.agentId ?? SANDBOX_DEFAULTS.agentId,
    secret: opts.secret ?? SANDBOX_DEFAULTS.secret,
    appUrl: opts.appUrl,
    now: opts.now ?? Date.now,
    settings: {
      tokenExpiresIn: DEFAULT_TOKEN_EXPIRES_IN,
      trustedDomain: opts.trustedDomain,
      ipAllowlist: [...(opts.ipAllowlist ?? DEFAULT_IP_ALLOWLIST)],
    },
    directory: indexOrg(buildDemoOrg(opts.org)),
  })
  const app = new Hono()
  app.use('/cgi-bin/*', cgiGate(state))
  registerGettoken(app, state)
  registerAuth(app, state)
  registerDirectory(app, state)
  app.all('/cgi-bin/*', (c) => wecomError(c, state, 48002, `api forbidden: the sandbox does not implement ${c.req.method} ${c.req.path}`, 404))
  registerAuthorize(app, state)
  registerQrLogin(app, state)
  registerClient(app, state)
  registerAvatar(app, state)
  registerAdmin(app, state)
  registerIndex(app, state)
  app.get('/favicon.ico', (c) => c.body(null, 204))
  app.onError((err, c) => {
    // A dropped connection must look like one to the caller, not like a 500.
    if (err instanceof SandboxDropError) throw err
    if (c.req.path.startsWith('/cgi-bin/')) return wecomError(c, state, -1, 'system busy', 500)
    return c.text(`sandbox error: ${err.message}`, 500)
  })
  return { app, state, demoUsers: () => demoUsers(state) }
}
