import { Hono } from 'hono'
import { registerAgent } from './directory/agent-get'
import { registerTags } from './directory/tags'
import { registerApprovals } from './approvals/oa'
import { registerAuth } from './oauth/auth'
import { registerDirectory } from './directory/routes'
import { registerGettoken } from './tickets/gettoken'
import { registerJsapiTickets } from './tickets/jsapi-tickets'
import { registerMessageSend } from './messages/send'
import { registerUpdateTemplateCard } from './messages/update-template-card'
import { callbacksSettled } from './callbacks/delivery'
import { cgiGate } from './cgi-gate'
import { buildDemoOrg } from './directory/demo-org'
import { demoUsers, type DemoUser } from './directory/demo-users'
import { wecomError } from './errors'
import { SandboxDropError } from './faults'
import { sandboxSettings, SANDBOX_DEFAULTS, DEFAULT_CALLBACK_TIMEOUT_MS, type SandboxOptions } from './options'
import { indexOrg } from './directory/org-index'
import { registerAdmin } from './admin/routes'
import { registerAdminApprovals } from './admin/approvals'
import { registerAdminCallbacks } from './admin/callbacks'
import { registerAdminOrg } from './admin/org'
import { registerAuthorize } from './oauth/authorize'
import { registerAvatar } from './directory/avatar'
import { registerClient } from './oauth/client'
import { registerInbox } from './messages/inbox'
import { registerApprovalPage } from './approvals/page'
import { registerIndex } from './admin/index-page'
import { registerQrLogin } from './oauth/qr-login'
import { createState, type SandboxState } from './state'

export { SANDBOX_CALLBACK, SANDBOX_DEFAULTS, EXTERNAL_CHOICE, EXTERNAL_OPENID, type SandboxOptions, type VisibleRange, type SandboxLimits, type CallbackConfig } from './options'
export type { OrgUserCreate, OrgUserPatch, OrgDepartmentCreate, OrgDepartmentPatch } from './directory/org-schemas'
export type { RawCallbackRequest, VerifyUrlRequest } from './callbacks/schemas'
export type { CallbackDelivery, CallbackAttempt, CallbackDeliveryStatus } from './callbacks/log'
export type { VerifyUrlResult } from './admin/callbacks'
export type { SettingsPatch } from './admin/schemas'
export type { SandboxState, SandboxSettings } from './state'
export type { DemoUser } from './directory/demo-users'
export type { Approval, ApprovalTemplate, SpStatus } from './approvals/types'
export type { InboxMessage, SendRecord } from './messages/store'
export type { MessagePayload } from './messages/content'
export type { FaultSpec, Fault } from './faults'
export { generateOrg, type GenerateOrgInput, type FixedMember } from './directory/org-generator'
export { buildDemoOrg } from './directory/demo-org'
export type { Org, Department, Member, MemberStatus } from './directory/org-types'
export { TEST_IP_HEADER } from './client-ip'
export { USER_COOKIE } from './oauth/client-identity'

export interface Sandbox {
  /** The whole sandbox HTTP surface: serve it with @hono/node-server, or app.request in tests. */
  app: Hono
  /** In-memory org, tokens, codes, faults, settings; tests may inspect and mutate it. */
  state: SandboxState
  /** Who you can sign in as (for the start banner). */
  demoUsers(): DemoUser[]
  /** Resolves once every callback delivery has finished its retries. */
  callbacksSettled(): Promise<void>
}

/** A local stand-in for WeCom's servers and client (each file cites the WeCom page it plays). */
export function createSandbox(opts: SandboxOptions): Sandbox {
  const buildOrg = () => buildDemoOrg(opts.org)
  const state = createState({
    corpId: opts.corpId ?? SANDBOX_DEFAULTS.corpId,
    agentId: opts.agentId ?? SANDBOX_DEFAULTS.agentId,
    secret: opts.secret ?? SANDBOX_DEFAULTS.secret,
    contactSecret: opts.contactSecret ?? SANDBOX_DEFAULTS.contactSecret,
    appUrl: opts.appUrl,
    now: opts.now ?? Date.now,
    callbackTimeoutMs: opts.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
    settings: sandboxSettings(opts),
    directory: indexOrg(buildOrg()),
    buildOrg,
  })
  const app = new Hono()
  app.use('/cgi-bin/*', cgiGate(state))
  registerGettoken(app, state)
  registerAuth(app, state)
  registerDirectory(app, state)
  registerJsapiTickets(app, state)
  registerApprovals(app, state)
  registerMessageSend(app, state)
  registerUpdateTemplateCard(app, state)
  registerAgent(app, state)
  registerTags(app, state)
  app.all('/cgi-bin/*', (c) => wecomError(c, state, 48002, `api forbidden: the sandbox does not implement ${c.req.method} ${c.req.path}`, 404))
  registerAuthorize(app, state)
  registerQrLogin(app, state)
  registerClient(app, state)
  registerAvatar(app, state)
  registerAdmin(app, state)
  registerAdminOrg(app, state)
  registerAdminCallbacks(app, state)
  registerAdminApprovals(app, state)
  registerInbox(app, state)
  registerApprovalPage(app, state)
  registerIndex(app, state)
  app.get('/favicon.ico', (c) => c.body(null, 204))
  app.onError((err, c) => {
    // A dropped connection must look like one to the caller, not like a 500.
    if (err instanceof SandboxDropError) throw err
    if (c.req.path.startsWith('/cgi-bin/')) return wecomError(c, state, -1, 'system busy', 500)
    return c.text(`sandbox error: ${err.message}`, 500)
  })
  return { app, state, demoUsers: () => demoUsers(state), callbacksSettled: () => callbacksSettled(state.callbacks) }
}
