import { z } from 'zod/mini'

export const roles = ['admin', 'member'] as const
export const roleSchema = z.enum(roles)
export type Role = z.infer<typeof roleSchema>

export const departmentRefSchema = z.object({ id: z.int(), name: z.string() })
export type DepartmentRef = z.infer<typeof departmentRefSchema>

/** GET /api/me — the signed-in member. */
export const meSchema = z.object({
  userid: z.string(),
  name: z.string(),
  alias: z.optional(z.string()),
  position: z.string(),
  avatar: z.optional(z.string()),
  mainDepartment: z.nullable(departmentRefSchema),
  departments: z.array(departmentRefSchema),
  roles: z.array(roleSchema),
  corpId: z.string(),
  session: z.object({
    createdAt: z.string(),
    /** The earlier of idle expiry (moves with use) and absolute expiry. */
    expiresAt: z.string(),
    absoluteExpiresAt: z.string(),
  }),
})
export type Me = z.infer<typeof meSchema>

/** GET /api/app — public facts the H5 needs before sign-in. */
export const appInfoSchema = z.object({
  mode: z.enum(['sandbox', 'wecom']),
  corpId: z.string(),
  agentId: z.string(),
  /** Sandbox mode only: where the sandbox's own pages live. */
  sandboxUrl: z.optional(z.string()),
  /** Origins allowed to frame the H5 (`?embed=1`); its postMessage events go only to these. */
  embedOrigins: z.array(z.string()),
  /** The corp's IANA time zone (CORP_TIME_ZONE): times are shown in it, not the device's. */
  timeZone: z.optional(z.string()),
})
export type AppInfo = z.infer<typeof appInfoSchema>

/** GET /api/auth/login-options?returnTo= — parameters for the browser (QR) login page. */
export const loginOptionsSchema = z.object({
  mode: z.enum(['sandbox', 'wecom']),
  /** Params for `ww.createWWLoginPanel` (real mode). */
  panel: z.object({
    login_type: z.literal('CorpApp'),
    appid: z.string(),
    agentid: z.string(),
    redirect_uri: z.string(),
    state: z.string(),
    /**
     * `top` takes the whole page to redirect_uri; `callback` hands the code to onLoginSuccess and
     * the page navigates itself (inside a host's iframe, so the host page stays). The component's
     * third value, `self`, would load our callback inside WeCom's small QR frame.
     * https://developer.work.weixin.qq.com/document/path/98478
     */
    redirect_type: z.enum(['top', 'callback']),
  }),
  /** The full `wwlogin/sso/login` page (the sandbox's own in sandbox mode). */
  fullPageUrl: z.string(),
})
export type LoginOptions = z.infer<typeof loginOptionsSchema>

/**
 * Why sign-in did not finish. The BFF redirects to `/problem?reason=…` with the extra facts as
 * query parameters (errcode, ip, domain, contact) and the H5 explains it in plain words.
 */
export const problemReasons = [
  'not_member',
  'member_inactive',
  'no_role',
  /** Signed in, but the admin console needs the `admin` role (set by the H5's router guard). */
  'admin_only',
  'wecom_error',
  'state_invalid',
  'code_invalid',
  'login_cancelled',
  'session_expired',
  'server_error',
] as const
export const problemReasonSchema = z.enum(problemReasons)
export type ProblemReason = z.infer<typeof problemReasonSchema>
