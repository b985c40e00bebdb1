import { z } from 'zod/mini'
import { roleSchema } from './session'

/** Text the BFF writes for people (doctor results): both languages, the H5 picks one. */
export const localizedSchema = z.object({ zh: z.string(), en: z.string() })
export type Localized = z.infer<typeof localizedSchema>

/** GET /api/admin/setup — the exact values to paste into WeCom's admin console. */
export const setupValuesSchema = z.object({
  mode: z.enum(['sandbox', 'wecom']),
  corpId: z.string(),
  agentId: z.string(),
  /** Origin + path prefix of the H5, no trailing slash. */
  publicUrl: z.string(),
  /** 应用主页: PUBLIC_URL/auth/login (with `?returnTo=` for a deep link), the one entry URL from WeCom. */
  homepageUrl: z.string(),
  /** 网页授权及JS-SDK → 可信域名 (host[:port], no scheme). */
  trustedDomain: z.string(),
  /** 企业微信授权登录 → Web网页 → 授权回调域. */
  loginCallbackDomain: z.string(),
  /** 接收消息 → URL. */
  callbackUrl: z.string(),
  /** Whether a Token / EncodingAESKey is configured (they are shown in full only when generated). */
  callbackTokenSet: z.boolean(),
  callbackAesKeySet: z.boolean(),
  /** The IP WeCom last reported in a 60020 (企业可信IP), when we have seen one. */
  egressIp: z.optional(z.object({ ip: z.string(), seenAt: z.string() })),
  /** Problems with PUBLIC_URL as a trusted domain (bare IP, localhost, http). */
  domainWarnings: z.array(localizedSchema),
})
export type SetupValues = z.infer<typeof setupValuesSchema>

/** POST /api/admin/setup/callback-credentials — a fresh pair to paste into 接收消息 (shown once). */
export const callbackCredentialsSchema = z.object({ token: z.string(), encodingAesKey: z.string() })
export type CallbackCredentials = z.infer<typeof callbackCredentialsSchema>

/** WW_verify_*.txt files, served at the site root. */
export const verifyFileNamePattern = /^WW_verify_[A-Za-z0-9]{16}\.txt$/
export const verifyFileSchema = z.object({
  name: z.string(),
  /** The file is tiny (16 characters); showing it lets the admin compare with the console. */
  content: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
  /** `env` when it comes from WECOM_VERIFY_FILES (cannot be deleted here). */
  source: z.enum(['stored', 'env']),
})
export type VerifyFile = z.infer<typeof verifyFileSchema>
export const verifyFileListSchema = z.object({ items: z.array(verifyFileSchema) })
export const verifyFileUploadSchema = z.object({ name: z.string(), content: z.string() })

/** Settings an admin may edit in the console (each can also come from env or the O2OA file). */
export const settingKeys = [
  'corpId',
  'agentId',
  'secret',
  'contactSecret',
  'apiBase',
  'callbackToken',
  'callbackAesKey',
  'syncCron',
  'forceSyncCron',
  'approvalCron',
  'messageEnable',
  'rolePolicy',
  'logLevel',
  'timeZone',
  'contactConsent',
  'hostDisplayNames',
] as const
export const settingKeySchema = z.enum(settingKeys)
export type SettingKey = z.infer<typeof settingKeySchema>
/** On/off settings: true or false, stored as text. */
export const booleanSettingKeys: readonly SettingKey[] = ['messageEnable', 'contactConsent']
/** Never sent back in full once saved. */
export const secretSettingKeys: readonly SettingKey[] = ['secret', 'contactSecret', 'callbackToken', 'callbackAesKey']

export const settingFieldSchema = z.object({
  key: settingKeySchema,
  /** Non-secret values in full; secrets never (see `masked`). */
  value: z.optional(z.union([z.string(), z.boolean()])),
  secret: z.boolean(),
  /** Whether a value is in effect at all. */
  set: z.boolean(),
  /** Secrets: the last 4 characters behind dots, e.g. `••••3f9a`. */
  masked: z.optional(z.string()),
  /** Where the value in effect comes from; `env` and `file` win and cannot be edited here. */
  source: z.enum(['env', 'file', 'stored', 'default', 'sandbox']),
  locked: z.boolean(),
  /** The env var that sets it (shown on locked fields). */
  envVar: z.string(),
  /** Something wrong with the stored value, e.g. a secret that no longer decrypts (key changed). */
  problem: z.optional(z.string()),
})
export type SettingField = z.infer<typeof settingFieldSchema>

export const settingsViewSchema = z.object({
  fields: z.array(settingFieldSchema),
  /** Secrets are encrypted with a key from SETTINGS_KEY / SESSION_SECRET; false → lost at restart. */
  keyPersistent: z.boolean(),
  updatedAt: z.nullable(z.string()),
  updatedBy: z.nullable(z.string()),
  /** Set by PUT when a saved value takes effect only after a restart (another corp). */
  restartRequired: z.optional(z.boolean()),
})
export type SettingsView = z.infer<typeof settingsViewSchema>

/** PUT /api/admin/settings: only the keys sent change; `null` clears a stored value. */
export const settingsUpdateSchema = z.partialRecord(settingKeySchema, z.nullable(z.union([z.string(), z.boolean()])))
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>

/** The doctor: every check in plain words. */
export const doctorCheckIds = [
  'config',
  'token',
  'contactToken',
  'trustedIp',
  'visibleRange',
  'agent',
  'trustedDomain',
  'verifyFile',
  'callback',
  'jsapiTickets',
  'approvalApi',
  'sync',
  'outbox',
  'testMessage',
] as const
export const doctorCheckSchema = z.object({
  id: z.enum(doctorCheckIds),
  title: localizedSchema,
  status: z.enum(['ok', 'warn', 'fail', 'skip']),
  summary: localizedSchema,
  /** What to do, when something is wrong. */
  fix: z.optional(localizedSchema),
  errcode: z.optional(z.int()),
  ms: z.int(),
})
export type DoctorCheck = z.infer<typeof doctorCheckSchema>
export const doctorReportSchema = z.object({
  ranAt: z.string(),
  ok: z.boolean(),
  checks: z.array(doctorCheckSchema),
})
export type DoctorReport = z.infer<typeof doctorReportSchema>

/** Roles: grants to members or whole departments (inherited by sub-departments). */
export const roleGrantSchema = z.object({
  kind: z.enum(['member', 'department']),
  /** A userid, or a department id as a string. */
  target: z.string(),
  /** The member's or department's name, when the directory knows it. */
  targetName: z.string(),
  role: roleSchema,
  grantedBy: z.string(),
  grantedAt: z.string(),
  /** `env`: from ADMIN_USERIDS, cannot be revoked here. */
  source: z.enum(['stored', 'env']),
})
export type RoleGrant = z.infer<typeof roleGrantSchema>
export const roleGrantInputSchema = z.object({
  kind: z.enum(['member', 'department']),
  target: z.string(),
  role: roleSchema,
})
export type RoleGrantInput = z.infer<typeof roleGrantInputSchema>
export const rolesViewSchema = z.object({
  /** `all-members`: every active member may use the app; `explicit`: only granted ones. */
  policy: z.enum(['all-members', 'explicit']),
  policyLocked: z.boolean(),
  grants: z.array(roleGrantSchema),
})
export type RolesView = z.infer<typeof rolesViewSchema>

export const auditEntrySchema = z.object({
  id: z.int(),
  at: z.string(),
  actor: z.string(),
  actorName: z.string(),
  action: z.enum(['grant', 'revoke', 'policy', 'settings', 'verify_file_upload', 'verify_file_delete', 'callback_credentials', 'sync_start', 'sync_confirm']),
  /** What was acted on, in words (userid, department, setting keys, file name). */
  target: z.string(),
  detail: z.optional(z.string()),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>
export const auditListSchema = z.object({ items: z.array(auditEntrySchema) })

/** Held sync runs: who would be disabled (a sample) so the admin can judge before confirming. */
export const syncPreviewSchema = z.object({
  runId: z.int(),
  wouldDisable: z.int(),
  sample: z.array(z.object({ userid: z.string(), name: z.string(), department: z.string() })),
})
export type SyncPreview = z.infer<typeof syncPreviewSchema>

/** Messages the H5 posts to the host page when embedded (`?embed=1`), only to EMBED_ORIGINS. */
export type EmbedMessage =
  | { source: 'wecom-portal'; type: 'ready' }
  | { source: 'wecom-portal'; type: 'height'; height: number }
  | { source: 'wecom-portal'; type: 'todos'; pending: number }
  | { source: 'wecom-portal'; type: 'navigate'; path: string; title: string }
