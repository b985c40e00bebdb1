import { settingsUpdateSchema, WECOM_API_BASE, type Localized, type SettingKey, type SettingsUpdate } from '@portal/shared'
import type { z } from 'zod/mini'
import type { Config } from '../../config'
import { ApiFailure } from '../../errors'
import type { Logger } from '../../log'
import { checkFormat } from './formats'
import { checkLive } from './live-check'
import { allKeys, credentialKeys, identityKeys, type SettingValue } from './keys'
import type { StoredEntry } from './view'

export interface SaveContext {
  config: Config
  stored: ReadonlyMap<SettingKey, StoredEntry>
  /** What a key comes to when nothing is stored for it (env, default, sandbox corp). */
  fallback(key: SettingKey): SettingValue
  /** What a key holds in effect now. */
  effective(key: SettingKey): SettingValue
  now: () => number
  log: Logger
  fetch?: typeof fetch
  /** The language of the messages (the admin's UI language). */
  lang: 'zh' | 'en'
}

export interface Change {
  key: SettingKey
  /** null deletes the stored value. */
  value: string | boolean | null
}

type Problems = Record<string, Localized>

const fail = (problems: Problems, lang: 'zh' | 'en') => {
  const n = Object.keys(problems).length
  const fields = Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v[lang]]))
  const message = lang === 'zh' ? `${n} 项设置有问题，未保存任何修改。` : `${n === 1 ? 'One setting was' : `${n} settings were`} not saved: nothing was changed.`
  return new ApiFailure('bad_request', message, { fields })
}

/**
 * Every check a save needs, before anything is written: shape, locked keys, then WeCom itself
 * for new credentials. Throws ApiFailure (400, a message per field); returns only the keys whose
 * stored value really changes.
 */
/** A body that is not a settings update (settingsUpdateSchema's issues): the 400, a message per field in `lang`. */
export function settingsShapeFailure(issues: readonly z.core.$ZodIssue[], lang: 'zh' | 'en'): ApiFailure {
  const fields: Problems = {}
  for (const issue of issues) {
    const names = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? 'body')]
    for (const name of names) {
      fields[name] ??= (allKeys as readonly string[]).includes(name)
        ? { zh: '应为文本、true/false 或 null。', en: 'Expected text, true/false or null.' }
        : { zh: `不是可设置的项：应为 ${allKeys.join(', ')} 之一。`, en: `Not a setting: expected one of ${allKeys.join(', ')}.` }
    }
  }
  return fail(fields, lang)
}

export async function validateUpdate(body: unknown, ctx: SaveContext): Promise<Change[]> {
  // The route checked the shape already (parseBody); other callers (setup, the CLI, tests) are checked here.
  const parsed = settingsUpdateSchema.safeParse(body)
  if (!parsed.success) throw settingsShapeFailure(parsed.error.issues, ctx.lang)
  const update: SettingsUpdate = parsed.data
  const fields: Problems = {}
  const next = new Map<SettingKey, string | boolean | null>()
  for (const key of allKeys) {
    if (!(key in update)) continue
    const lock = ctx.config.locked[key]
    if (lock) {
      fields[key] = {
        zh: `由${lock.source === 'env' ? '环境变量' : ' O2OA 配置文件中的'} ${lock.envVar} 设置，优先于控制台：请在那里修改。`,
        en: `Set by ${lock.envVar} (${lock.source === 'env' ? 'environment' : 'the O2OA config file'}), which wins over the console: change it there.`,
      }
      continue
    }
    const checked = checkFormat(key, update[key] ?? null)
    if (checked.ok) next.set(key, checked.value)
    else fields[key] = checked.problem
  }
  if (Object.keys(fields).length) throw fail(fields, ctx.lang)

  const changes: Change[] = []
  for (const [key, value] of next) {
    const entry = ctx.stored.get(key)
    if (value === null ? entry !== undefined : entry?.value !== value) changes.push({ key, value })
  }

  // What would be in effect once saved (and restarted, for a held corp), before and after.
  const current = (key: SettingKey, fallback = ctx.fallback): SettingValue => {
    if (ctx.config.locked[key]) return ctx.effective(key)
    const entry = ctx.stored.get(key)
    return entry?.value !== undefined ? entry.value : fallback(key)
  }
  const corpAfter = next.has('corpId') ? (next.get('corpId') ?? ctx.fallback('corpId')) : current('corpId')
  // A real corp saved in sandbox mode runs in WeCom mode after the restart: WeCom's API base, not the sandbox's.
  const leavingSandbox = ctx.config.mode === 'sandbox' && !!corpAfter && corpAfter !== ctx.effective('corpId')
  const fallbackAfter = (key: SettingKey): SettingValue => (key === 'apiBase' && leavingSandbox ? WECOM_API_BASE : ctx.fallback(key))
  const after = (key: SettingKey): SettingValue => (next.has(key) ? (next.get(key) ?? fallbackAfter(key)) : current(key, fallbackAfter))
  const differs = (key: SettingKey) => after(key) !== current(key)
  const identityChanged = identityKeys.some(differs)
  const corpId = after('corpId')
  if (typeof corpId !== 'string' || !corpId || !credentialKeys.some(differs)) return changes

  const str = (key: SettingKey) => {
    const v = after(key)
    return typeof v === 'string' ? v : ''
  }
  if (identityChanged) {
    for (const key of ['agentId', 'secret', 'apiBase'] as const) if (!str(key)) fields[key] = { zh: '填写企业ID时必填：企业微信需要同一个应用的企业ID、AgentId 和 Secret。', en: 'Required with a CorpID: WeCom needs the CorpID, AgentId and Secret of one app.' }
    if (Object.keys(fields).length) throw fail(fields, ctx.lang)
  }
  const contactSecret = str('contactSecret')
  const checkContact = !!contactSecret && (differs('contactSecret') || differs('corpId') || differs('apiBase'))
  if (!identityChanged && !checkContact) return changes
  const problems = await checkLive(
    { apiBase: str('apiBase'), corpId, agentId: str('agentId'), secret: str('secret'), ...(checkContact ? { contactSecret } : {}) },
    { proxyUrl: ctx.config.wecom.proxyUrl, now: ctx.now, log: ctx.log, checkApp: identityChanged, fetch: ctx.fetch },
  )
  if (Object.keys(problems).length) throw fail(problems as Problems, ctx.lang)
  return changes
}
