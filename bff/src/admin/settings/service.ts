import type { Localized, SettingKey, SettingsUpdate, SettingsView } from '@portal/shared'
import type { Config } from '../../config'
import type { Db } from '../../db'
import type { Logger } from '../../log'
import { writeAudit } from '../audit'
import { createSettingsCipher } from './crypto'
import { checkFormat } from './formats'
import { fromText, isSecret, readSetting, toText } from './keys'
import { effectiveText, effectiveValue, overlay, type Applied } from './overlay'
import type { RuntimeSettings } from './runtime'
import { readRows, readVersion, writeRows } from './store'
import { validateUpdate } from './validate'
import { buildView, type StoredEntry } from './view'

/** The console's settings: stored (secrets encrypted), audited, followed across instances, read as RuntimeSettings. */
export interface SettingsService extends RuntimeSettings {
  /** Puts the stored settings in effect (at start, and when another instance saved); `config` is never written. */
  apply(): Promise<SettingKey[]>
  /** `lang`: the language of per-field problems (the admin's UI language). */
  view(lang?: 'zh' | 'en'): Promise<SettingsView>
  /** Validates (live against WeCom where it matters), encrypts secrets, stores, applies. */
  save(update: SettingsUpdate, actor: string, lang?: 'zh' | 'en'): Promise<SettingsView>
  /** Follows changes saved by other instances. */
  start(): void
  stop(): void
}

const UNDECRYPTABLE: Localized = {
  zh: '保存的值无法解密（保存后 SETTINGS_KEY 或 SESSION_SECRET 变了），因此未使用。请重新填写。',
  en: 'The stored value cannot be decrypted (SETTINGS_KEY or SESSION_SECRET changed since it was saved), so it is not used. Enter it again.',
}

export function createSettingsService(d: {
  config: Config
  db: Db
  log: Logger
  now: () => number
  /** How often to look for saves by other instances; default 3 s. */
  pollMs?: number
  /** For the live checks against WeCom; default the global fetch (or the proxy's). */
  fetch?: typeof fetch
}): SettingsService {
  const { config, db, log } = d
  const cipher = createSettingsCipher(config.settingsKey.key)
  // The stored values in effect; config holds what is in effect without them and is never written.
  const applied: Applied = new Map()
  const listeners: ((changed: SettingKey[]) => void)[] = []
  let stored = new Map<SettingKey, StoredEntry>()
  let held = false
  let seenVersion = -1
  let timer: NodeJS.Timeout | undefined
  // apply() and save() run one at a time, so a poll never interleaves with a save's overlay.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => {})
    return run
  }

  async function load(): Promise<void> {
    seenVersion = await readVersion(db)
    const next = new Map<SettingKey, StoredEntry>()
    for (const row of await readRows(db)) {
      const meta = { updatedAt: row.updatedAt, updatedBy: row.updatedBy }
      const text = row.encrypted ? cipher.decrypt(row.key, row.value) : row.value
      if (text === null) {
        // Never the value: only that it is unusable.
        if (stored.get(row.key)?.problem !== UNDECRYPTABLE) log.warn('stored setting cannot be decrypted; ignoring it', { setting: row.key })
        next.set(row.key, { problem: UNDECRYPTABLE, ...meta })
        continue
      }
      const checked = checkFormat(row.key, fromText(row.key, text))
      if (!checked.ok || checked.value === null) {
        log.warn('stored setting is not valid; ignoring it', { setting: row.key })
        const why = checked.ok ? { zh: '为空', en: 'empty' } : checked.problem
        next.set(row.key, { problem: { zh: `保存的值无效，未使用：${why.zh}`, en: `The stored value is not valid and is not used: ${why.en}` }, ...meta })
      } else next.set(row.key, { value: checked.value, ...meta })
    }
    stored = next
  }

  async function applyNow(): Promise<SettingKey[]> {
    await load()
    const values = new Map<SettingKey, string | boolean>()
    for (const [k, e] of stored) if (e.value !== undefined) values.set(k, e.value)
    const result = overlay(config, applied, values)
    if (result.held && !held) log.warn('settings name another corp: stored, applied at the next restart', {})
    held = result.held
    if (result.changed.length) {
      log.info('settings applied', { changed: result.changed })
      for (const l of listeners) {
        try {
          l(result.changed)
        } catch (e) {
          log.error('settings listener failed', { err: e, changed: result.changed })
        }
      }
    }
    return result.changed
  }

  const view = (lang: 'zh' | 'en' = 'en') => buildView(config, applied, stored, held, lang)

  async function save(update: SettingsUpdate, actor: string, lang: 'zh' | 'en'): Promise<SettingsView> {
    // Judge against what is stored now, not what this instance last polled.
    if ((await readVersion(db)) !== seenVersion) await applyNow()
    const fallback = (key: SettingKey) => readSetting(config, key)
    const effective = (key: SettingKey) => effectiveText(config, applied, key)
    const changes = await validateUpdate(update, { config, stored, fallback, effective, now: d.now, log, fetch: d.fetch, lang })
    if (changes.length) {
      const at = new Date(d.now())
      await db.transaction(async (tx) => {
        await writeRows(
          tx,
          changes.map(({ key, value }) => ({
            key,
            row: value === null ? null : isSecret(key) ? { value: cipher.encrypt(key, toText(value)), encrypted: true } : { value: toText(value), encrypted: false },
          })),
          { actor, at },
        )
        await writeAudit(tx, { actor, action: 'settings', target: changes.map((c) => c.key).join(','), at })
      })
      log.info('settings saved', { actor, keys: changes.map((c) => c.key) })
      await applyNow()
    }
    return view(lang)
  }

  async function poll(): Promise<void> {
    try {
      if ((await readVersion(db)) !== seenVersion) await serial(applyNow)
    } catch (e) {
      log.warn('settings poll failed', { err: e })
    }
  }

  return {
    apply: () => serial(applyNow),
    view: (lang) =>
      serial(async () => {
        if ((await readVersion(db)) !== seenVersion) await applyNow()
        return view(lang)
      }),
    save: (update, actor, lang = 'en') => serial(() => save(update, actor, lang)),
    start() {
      if (timer) return
      timer = setInterval(() => void poll(), d.pollMs ?? 3000)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
    },
    get: (key) => effectiveValue(config, applied, key),
    onChange(listener) {
      listeners.push(listener)
    },
  }
}
