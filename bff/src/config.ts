import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { verifyFileNamePattern, WECOM_API_BASE, type SettingKey, WECOM_LOGIN_BASE, WECOM_OAUTH_BASE } from '@portal/shared'
import { parseDuration } from './config/durations'
import { appFiles } from './app-files'
import { DEFAULT_POOL_MAX } from './db/pool-size'
import { readO2oaFile } from './config/o2oa-file'
import { validQuartz } from './config/quartz'
import { HOST_NAME_PATTERN, parseHostNames, SANDBOX_HOST_NAMES, type HostNames } from './config/host-names'
import { DEMO_ORG_SIZE, ORG_SIZE_LIMITS } from './sandbox/directory/demo-org'
import { DEFAULT_TIME_ZONE, validTimeZone } from './time/corp-time'

/** The one reader of process.env. Everything else receives a Config. */
export interface Config {
  mode: 'sandbox' | 'wecom'
  port: number
  /** Origin + optional path prefix, no trailing slash: `https://host/portal`. */
  publicUrl: string
  /** Path prefix with both slashes: `/` or `/portal/`. */
  basePath: string
  secureCookies: boolean
  /**
   * TRUST_PROXY: a reverse proxy we trust sets X-Forwarded-Proto/-Host (overwriting what clients
   * send). Only then do those headers count, and only for the origin of the request they came
   * with (JS-SDK signatures); otherwise anyone could claim any origin with them.
   */
  trustProxy: boolean
  /** `org`: the size of the sandbox's generated org (SANDBOX_MEMBERS, SANDBOX_DEPARTMENTS). */
  sandbox: { port: number; url: string; org: { members: number; departments: number } }
  wecom: {
    corpId: string
    agentId: string
    secret: string
    contactSecret?: string
    apiBase: string
    oauthBase: string
    loginBase: string
    callbackToken?: string
    callbackAesKey?: string
    proxyUrl?: string
  }
  /** `poolMax`: PostgreSQL connections per instance (DATABASE_POOL_MAX). */
  database: { url?: string; dataDir: string; poolMax: number }
  session: { secret: string; idleMs: number; absoluteMs: number }
  roles: { adminUserids: string[]; policy: 'all-members' | 'explicit' }
  sync: { cron: string; forceCron: string; maxDisableShare: number; enabled: boolean }
  messageEnable: boolean
  /** IANA zone every time written for people is shown in (CORP_TIME_ZONE; console 时区). */
  timeZone: string
  /** Ask members once for their contact details (snsapi_privateinfo); off by default. */
  contactConsent: boolean
  /** Keys the existing app uses for /api/host/*: `Authorization: Bearer <key>`; the name marks its todos. */
  hostApiKeys: { name: string; key: string }[]
  /** What members read as a host's name (HOST_DISPLAY_NAMES; console 业务系统名称); a host without one shows its key name. */
  hostDisplayNames: HostNames
  /** Where an approval todo's action goes; `{sp_no}` is replaced. WeCom documents no such URL. */
  approvalLinkTemplate?: string
  approvalCron: string
  /** Origins that may frame the H5 (`?embed=1`): CSP frame-ancestors and postMessage targets. */
  embedOrigins: string[]
  /** Encrypts secrets saved in the console; `persistent` is false when invented for this run. */
  settingsKey: { key: string; persistent: boolean }
  /** Settings set by env (or the O2OA file): they win over the console and show as locked. */
  locked: Partial<Record<SettingKey, { source: 'env' | 'file'; envVar: string }>>
  /** WW_verify_*.txt files from WECOM_VERIFY_FILES (a directory or comma-separated file paths). */
  verifyFiles: { name: string; content: string }[]
  webDist: string
  /** LOG_LEVEL, or the console's setting; followed at run time. */
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  /** SHUTDOWN_TIMEOUT: how long a stop (SIGTERM) may take to drain requests and background work. */
  shutdownMs: number
  /** Prometheus metrics on a port of their own (METRICS_PORT, unset = off), bound to METRICS_HOST. */
  metrics: { port?: number; host: string }
  /** RETENTION_DAYS: rows past their use (ended sessions, applied callbacks, sent messages, old sync runs) are deleted this long after; 0 keeps them. */
  retention: { days: number }
}

/** The demo host key in sandbox mode (public: printed at start and in the README). */
export const SANDBOX_HOST_KEY = 'sandbox-demo-host-key-0123456789'

/** Where an approval todo links in WeCom mode (WeCom documents no such URL). */
const WECOM_APPROVAL_LINK = 'https://app.work.weixin.qq.com/wework_admin/shenpi_mobile_detail?sp_no={sp_no}'

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] }
type Env = Record<string, string | undefined>

export function loadConfig(env: Env = process.env, cwd = process.cwd()): ConfigResult {
  const problems: string[] = []
  const str = (k: string) => (env[k]?.trim() ? env[k]!.trim() : undefined)
  const int = (k: string, dflt: number, min = 1, max = 65535) => {
    const v = str(k)
    if (v === undefined) return dflt
    const n = Number(v)
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${k}: expected a whole number from ${min} to ${max}, got "${v}"`)
    return n
  }
  const bool = (k: string, dflt: boolean) => {
    const v = str(k)?.toLowerCase()
    if (v === undefined) return dflt
    if (['1', 'true', 'yes', 'on'].includes(v)) return true
    if (['0', 'false', 'no', 'off'].includes(v)) return false
    problems.push(`${k}: expected true or false, got "${v}"`)
    return dflt
  }
  const share = (k: string, dflt: number) => {
    const v = str(k)
    if (v === undefined) return dflt
    const n = Number(v)
    if (!(n >= 0 && n <= 1)) problems.push(`${k}: expected a share from 0 to 1 (e.g. 0.2), got "${v}"`)
    return n
  }
  const duration = (k: string, dflt: string) => {
    const v = str(k) ?? dflt
    const ms = parseDuration(v)
    if (ms === null || ms <= 0) problems.push(`${k}: expected a duration like 30m, 8h or 7d, got "${v}"`)
    return ms ?? 0
  }

  const filePath = str('WECOM_CONFIG_FILE')
  const { file = {}, problem } = readO2oaFile(resolve(cwd, filePath ?? 'config/qiyeweixin.json'), !!filePath)
  if (problem) problems.push(problem)

  const port = int('PORT', 3000)
  const sandboxPort = int('SANDBOX_PORT', 3100)
  const corpId = str('WECOM_CORP_ID') ?? file.corpId?.trim() ?? ''
  const mode = corpId ? 'wecom' : 'sandbox'

  const publicUrlRaw = str('PUBLIC_URL') ?? `http://localhost:${port}`
  let publicUrl = `http://localhost:${port}`
  let basePath = '/'
  try {
    const u = new URL(publicUrlRaw)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme')
    if (u.search || u.hash) problems.push(`PUBLIC_URL: must not carry a query or fragment, got "${publicUrlRaw}"`)
    basePath = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`
    publicUrl = `${u.origin}${basePath.replace(/\/$/, '')}`
  } catch {
    problems.push(`PUBLIC_URL: expected an http(s) URL like https://portal.example.com, got "${publicUrlRaw}"`)
  }
  const sandboxUrl = `http://localhost:${sandboxPort}`
  // A large org needs departments to match: by default one per 20 members (WeCom answers at
  // most 5,000 members per user/list page, and the demo's 24 departments would overflow that).
  const orgSize = (k: string, dflt: number, { min, max }: { min: number; max: number }, floor: string) => {
    const v = str(k)
    if (v === undefined) return dflt
    const n = Number(v.replace(/_/g, ''))
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${k}: expected a whole number from ${min} (${floor}) to ${max.toLocaleString('en-US')}, got "${v}"`)
    return n
  }
  const sandboxMembers = orgSize('SANDBOX_MEMBERS', DEMO_ORG_SIZE.members, ORG_SIZE_LIMITS.members, 'the named demo people')
  const dLimits = ORG_SIZE_LIMITS.departments
  const scaled = Number.isInteger(sandboxMembers) && str('SANDBOX_MEMBERS') ? Math.min(dLimits.max, Math.max(DEMO_ORG_SIZE.departments, Math.round(sandboxMembers / 20))) : DEMO_ORG_SIZE.departments
  const sandboxDepartments = orgSize('SANDBOX_DEPARTMENTS', scaled, dLimits, 'the demo people\'s departments')

  const agentId = str('WECOM_AGENT_ID') ?? (file.agentId !== undefined ? String(file.agentId) : undefined)
  const secret = str('WECOM_SECRET') ?? file.corpSecret?.trim()
  if (mode === 'wecom') {
    if (!agentId) problems.push('WECOM_AGENT_ID: required when WECOM_CORP_ID is set (应用管理 → 自建应用 → AgentId)')
    else if (!/^\d{1,10}$/.test(agentId)) problems.push(`WECOM_AGENT_ID: expected digits, got "${agentId}"`)
    if (!secret) problems.push('WECOM_SECRET: required when WECOM_CORP_ID is set (the app\'s Secret)')
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(corpId)) problems.push(`WECOM_CORP_ID: expected an id like ww0123456789abcdef, got "${corpId}"`)
  }
  const aesKey = str('WECOM_CALLBACK_AES_KEY') ?? file.encodingAesKey?.trim()
  if (aesKey && !/^[A-Za-z0-9]{43}$/.test(aesKey)) problems.push('WECOM_CALLBACK_AES_KEY: expected 43 letters and digits (EncodingAESKey)')
  const apiBase = (str('WECOM_API_BASE') ?? file.apiAddress?.trim() ?? (mode === 'sandbox' ? sandboxUrl : WECOM_API_BASE)).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(apiBase)) problems.push(`WECOM_API_BASE: expected an http(s) URL, got "${apiBase}"`)

  let sessionSecret = str('SESSION_SECRET')
  if (!sessionSecret) {
    // A sandbox run may invent one; a real deployment needs one shared by every instance.
    if (mode === 'wecom') problems.push('SESSION_SECRET: required outside sandbox mode (32+ random characters, the same on every instance)')
    sessionSecret = randomBytes(32).toString('base64url')
  } else if (sessionSecret.length < 32) problems.push('SESSION_SECRET: must be at least 32 characters')

  const policy = str('ROLE_POLICY') ?? 'all-members'
  if (policy !== 'all-members' && policy !== 'explicit') problems.push(`ROLE_POLICY: expected all-members or explicit, got "${policy}"`)
  const logLevel = str('LOG_LEVEL') ?? 'info'
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push(`LOG_LEVEL: expected debug, info, warn or error, got "${logLevel}"`)
  const metricsPort = str('METRICS_PORT') === undefined ? undefined : int('METRICS_PORT', 0)
  if (metricsPort !== undefined && (metricsPort === port || (mode === 'sandbox' && metricsPort === sandboxPort))) {
    problems.push(`METRICS_PORT: must differ from PORT${mode === 'sandbox' ? ' and SANDBOX_PORT' : ''} (metrics stay off the public port), got ${metricsPort}`)
  }
  const metricsHost = str('METRICS_HOST') ?? '127.0.0.1'
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(metricsHost)) problems.push(`METRICS_HOST: expected an IP address or host name to listen on, like 127.0.0.1 or 0.0.0.0, got "${metricsHost}"`)
  const databaseUrl = str('DATABASE_URL')
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL: expected postgres://user@host:port/db')

  for (const [k, v] of [['SYNC_CRON', str('SYNC_CRON') ?? file.syncCron], ['FORCE_SYNC_CRON', str('FORCE_SYNC_CRON') ?? file.forceSyncCron]] as const) {
    if (v && !validQuartz(v)) problems.push(`${k}: not a valid cron expression (Quartz, seconds first, e.g. "10 0/10 * * * ?"), got "${v}"`)
  }

  // HOST_API_KEYS="oa:key1,crm:key2": the name ends at the first ':' and the key is the whole rest
  // (it may hold ':' too). Keys go in a Bearer header, so only visible ASCII can ever match.
  const hostApiKeys: Config['hostApiKeys'] = []
  for (const entry of (str('HOST_API_KEYS') ?? (mode === 'sandbox' ? `demo-host:${SANDBOX_HOST_KEY}` : '')).split(',').map((e) => e.trim()).filter(Boolean)) {
    const problem = hostKeyProblem(entry, hostApiKeys)
    if (problem) problems.push(`HOST_API_KEYS: ${problem}`)
    else hostApiKeys.push({ name: entry.slice(0, entry.indexOf(':')), key: entry.slice(entry.indexOf(':') + 1) })
  }
  const hostNames = parseHostNames(str('HOST_DISPLAY_NAMES') ?? (mode === 'sandbox' ? SANDBOX_HOST_NAMES : ''))
  if (!hostNames.ok) problems.push(`HOST_DISPLAY_NAMES: ${hostNames.problem.en}`)

  const embedOrigins: string[] = []
  for (const o of (str('EMBED_ORIGINS') ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      const u = new URL(o)
      if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/$/, '')) throw new Error('not an origin')
      embedOrigins.push(u.origin)
    } catch {
      problems.push(`EMBED_ORIGINS: expected origins like https://oa.example.com (scheme and host, no path), got "${o}"`)
    }
  }

  const verifyFiles: Config['verifyFiles'] = []
  const verifySpec = str('WECOM_VERIFY_FILES')
  if (verifySpec) {
    try {
      const paths = verifySpec.includes(',') || !statSync(resolve(cwd, verifySpec)).isDirectory()
        ? verifySpec.split(',').map((p) => resolve(cwd, p.trim()))
        : readdirSync(resolve(cwd, verifySpec)).filter((f) => verifyFileNamePattern.test(f)).map((f) => resolve(cwd, verifySpec, f))
      for (const p of paths) {
        const name = p.split(/[\\/]/).pop() ?? ''
        if (!verifyFileNamePattern.test(name)) problems.push(`WECOM_VERIFY_FILES: "${name}" is not named like WW_verify_XXXXXXXXXXXXXXXX.txt`)
        else verifyFiles.push({ name, content: readFileSync(p, 'utf8').trim() })
      }
    } catch (e) {
      problems.push(`WECOM_VERIFY_FILES: cannot read "${verifySpec}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
    }
  }

  // Which console settings env (or the O2OA file) pins: shown locked, never overwritten.
  const locked: Config['locked'] = {}
  const pin = (key: SettingKey, envVar: string, fileValue: unknown) => {
    if (str(envVar) !== undefined) locked[key] = { source: 'env', envVar }
    else if (fileValue !== undefined && fileValue !== '') locked[key] = { source: 'file', envVar }
  }
  pin('corpId', 'WECOM_CORP_ID', file.corpId)
  pin('agentId', 'WECOM_AGENT_ID', file.agentId)
  pin('secret', 'WECOM_SECRET', file.corpSecret)
  pin('contactSecret', 'WECOM_CONTACT_SECRET', undefined)
  pin('apiBase', 'WECOM_API_BASE', file.apiAddress)
  pin('callbackToken', 'WECOM_CALLBACK_TOKEN', file.token)
  pin('callbackAesKey', 'WECOM_CALLBACK_AES_KEY', file.encodingAesKey)
  pin('syncCron', 'SYNC_CRON', file.syncCron)
  pin('forceSyncCron', 'FORCE_SYNC_CRON', file.forceSyncCron)
  pin('approvalCron', 'APPROVAL_SYNC_CRON', undefined)
  pin('messageEnable', 'MESSAGE_ENABLE', file.messageEnable)
  pin('rolePolicy', 'ROLE_POLICY', undefined)
  pin('logLevel', 'LOG_LEVEL', undefined)
  pin('timeZone', 'CORP_TIME_ZONE', undefined)
  pin('contactConsent', 'CONTACT_CONSENT', undefined)
  pin('hostDisplayNames', 'HOST_DISPLAY_NAMES', undefined)
  // The corp identity comes as a whole: from env/file, or from the console.
  if (locked.corpId) locked.agentId ??= { source: locked.corpId.source, envVar: 'WECOM_AGENT_ID' }
  if (locked.corpId) locked.secret ??= { source: locked.corpId.source, envVar: 'WECOM_SECRET' }

  const timeZone = str('CORP_TIME_ZONE') ?? DEFAULT_TIME_ZONE
  if (!validTimeZone(timeZone)) problems.push(`CORP_TIME_ZONE: "${timeZone}" is not a time zone this Node knows; expected an IANA name such as Asia/Shanghai or UTC`)

  const retentionDays = int('RETENTION_DAYS', 90, 0, 3650)
  // WeCom retries a callback within minutes and a card's code lives 72 h: a week is the least that keeps both.
  if (retentionDays > 0 && retentionDays < 7) problems.push(`RETENTION_DAYS: expected 0 (keep everything) or at least 7 days, got ${retentionDays}`)

  const settingsKey = str('SETTINGS_KEY')
  if (settingsKey && settingsKey.length < 32) problems.push('SETTINGS_KEY: must be at least 32 characters')

  const config: Config = {
    mode,
    port,
    publicUrl,
    basePath,
    secureCookies: publicUrl.startsWith('https:'),
    trustProxy: bool('TRUST_PROXY', false),
    sandbox: { port: sandboxPort, url: sandboxUrl, org: { members: sandboxMembers, departments: sandboxDepartments } },
    wecom: {
      corpId,
      agentId: agentId ?? '',
      secret: secret ?? '',
      contactSecret: str('WECOM_CONTACT_SECRET'),
      apiBase,
      oauthBase: (str('WECOM_OAUTH_BASE') ?? (mode === 'sandbox' ? sandboxUrl : WECOM_OAUTH_BASE)).replace(/\/+$/, ''),
      loginBase: (str('WECOM_LOGIN_BASE') ?? (mode === 'sandbox' ? sandboxUrl : WECOM_LOGIN_BASE)).replace(/\/+$/, ''),
      callbackToken: str('WECOM_CALLBACK_TOKEN') ?? file.token?.trim(),
      callbackAesKey: aesKey,
      proxyUrl: str('HTTPS_PROXY') ?? str('https_proxy'),
    },
    database: { url: databaseUrl, dataDir: resolve(cwd, str('DATA_DIR') ?? 'data'), poolMax: int('DATABASE_POOL_MAX', DEFAULT_POOL_MAX, 1, 1000) },
    session: {
      secret: sessionSecret,
      idleMs: duration('SESSION_IDLE_TIMEOUT', '8h'),
      absoluteMs: duration('SESSION_MAX_AGE', '7d'),
    },
    roles: {
      // The sandbox's demo corp has 张三 as its admin.
      adminUserids: (str('ADMIN_USERIDS') ?? (mode === 'sandbox' ? 'zhangsan' : '')).split(/[\s,|]+/).filter(Boolean).map((u) => u.toLowerCase()),
      policy: policy as Config['roles']['policy'],
    },
    sync: {
      cron: str('SYNC_CRON') ?? file.syncCron ?? '10 0/10 * * * ?',
      forceCron: str('FORCE_SYNC_CRON') ?? file.forceSyncCron ?? '10 45 8,12 * * ?',
      maxDisableShare: share('SYNC_MAX_DISABLE_SHARE', 0.2),
      enabled: bool('SYNC_ENABLE', true),
    },
    messageEnable: bool('MESSAGE_ENABLE', file.messageEnable ?? true),
    timeZone,
    contactConsent: bool('CONTACT_CONSENT', false),
    hostApiKeys,
    hostDisplayNames: hostNames.ok ? hostNames.names : {},
    approvalLinkTemplate: str('APPROVAL_LINK_TEMPLATE') ?? (mode === 'wecom' ? WECOM_APPROVAL_LINK : undefined),
    approvalCron: str('APPROVAL_SYNC_CRON') ?? '30 0/5 * * * ?',
    embedOrigins,
    settingsKey: { key: settingsKey ?? sessionSecret, persistent: !!(settingsKey ?? str('SESSION_SECRET')) },
    locked,
    verifyFiles,
    webDist: appFiles.webDist,
    logLevel: logLevel as Config['logLevel'],
    shutdownMs: duration('SHUTDOWN_TIMEOUT', '10s'),
    metrics: { port: metricsPort, host: metricsHost },
    retention: { days: retentionDays },
  }
  return problems.length ? { ok: false, problems } : { ok: true, config }
}

/** Why one `name:key` entry of HOST_API_KEYS is refused (never quoting the key), or undefined. */
function hostKeyProblem(entry: string, earlier: Config['hostApiKeys']): string | undefined {
  const at = entry.indexOf(':')
  const name = at < 0 ? entry : entry.slice(0, at)
  const key = at < 0 ? '' : entry.slice(at + 1)
  // Without a ':' the entry may be a bare key: never echo it.
  if (at < 0) return `expected name:key pairs separated by commas; an entry of ${entry.length} characters has no ':'`
  const shown = HOST_NAME_PATTERN.test(name) ? `"${name}:…"` : `an entry of ${entry.length} characters`
  if (!HOST_NAME_PATTERN.test(name)) return `${shown}: the name (before the first ':') must be 1–32 letters, digits, '.', '_' or '-'`
  if (key.length < 24) return `${shown}: the key (everything after the first ':') must be at least 24 characters, got ${key.length}`
  if (!/^[\x21-\x7E]+$/.test(key)) return `${shown}: the key may hold only visible ASCII (no spaces, no other characters): it goes in an Authorization: Bearer header`
  if (earlier.some((k) => k.key === key)) return `${shown}: the same key is configured twice; each host needs its own`
  return undefined
}

/**
 * Sandbox mode was chosen because env and the O2OA file name no corp, but the admin console
 * stored one: WeCom mode after all. The sandbox-only defaults give way to WeCom's (API, OAuth and
 * login bases, the approval link); the public demo host key (and its display name) and the demo admin (zhangsan, who
 * may well exist in a real corp) are dropped. Whatever env set stays. Returns a new config
 * (`config` is not written); used at start, once the stored settings are read.
 */
export function withWeComMode(config: Config, opts: { apiBaseStored: boolean; hostDisplayNamesStored?: boolean }, env: Env = process.env): Config {
  const set = (k: string) => !!env[k]?.trim()
  return {
    ...config,
    mode: 'wecom',
    wecom: {
      ...config.wecom,
      apiBase: !config.locked.apiBase && !opts.apiBaseStored ? WECOM_API_BASE : config.wecom.apiBase,
      oauthBase: set('WECOM_OAUTH_BASE') ? config.wecom.oauthBase : WECOM_OAUTH_BASE,
      loginBase: set('WECOM_LOGIN_BASE') ? config.wecom.loginBase : WECOM_LOGIN_BASE,
    },
    hostApiKeys: set('HOST_API_KEYS') ? config.hostApiKeys : config.hostApiKeys.filter((k) => k.key !== SANDBOX_HOST_KEY),
    // The demo host's name goes with its key; a name set in env or the console stays.
    hostDisplayNames: set('HOST_DISPLAY_NAMES') || opts.hostDisplayNamesStored ? config.hostDisplayNames : {},
    roles: set('ADMIN_USERIDS') ? config.roles : { ...config.roles, adminUserids: [] },
    approvalLinkTemplate: set('APPROVAL_LINK_TEMPLATE') ? config.approvalLinkTemplate : WECOM_APPROVAL_LINK,
  }
}

/**
 * Start-up is done: the config is frozen, whole, so nothing changes it under a reader (a write
 * throws). What the admin console changes is read through RuntimeSettings.
 */
export function freezeConfig(config: Config): Config {
  return deepFreeze(config)
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const x of Object.values(v)) deepFreeze(x)
  }
  return v
}

/** The terminal's language for CLI output (`pnpm run doctor`): zh when LANG starts with zh, else en. */
export function cliLanguage(env: Env = process.env): 'zh' | 'en' {
  return (env.LANG ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en'
}
