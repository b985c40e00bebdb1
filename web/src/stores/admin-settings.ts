import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { booleanSettingKeys, type SettingField, type SettingKey, type SettingsUpdate, type SettingsView } from '@portal/shared'
import { fetchSettings, saveSettings } from '../api/admin-setup'
import type { ApiRequestError } from '../api/http'
import type { LoadStatus } from './directory'
import { requestFailed } from '../lib/reauth'

/** What the form holds per key: text for strings, a flag for switches; secrets start empty. */
export type SettingsDraft = Partial<Record<SettingKey, string | boolean>>
/** Secrets the admin asked to clear (sent as `null`). */
export type SettingsClears = Partial<Record<SettingKey, boolean>>

/** Edited by the Roles page, never from this form. */
const NOT_EDITED_HERE: readonly SettingKey[] = ['rolePolicy']

export const isSwitch = (f: SettingField): boolean => typeof f.value === 'boolean' || booleanSettingKeys.includes(f.key)
export const isEditable = (f: SettingField): boolean => !f.locked && !NOT_EDITED_HERE.includes(f.key)

/** The form's starting values. Secrets are never prefilled: only their mask is shown. */
export function draftFrom(view: SettingsView): SettingsDraft {
  const draft: SettingsDraft = {}
  for (const f of view.fields) {
    if (isSwitch(f)) draft[f.key] = f.value === true
    else draft[f.key] = f.secret || typeof f.value !== 'string' ? '' : f.value
  }
  return draft
}

/** Only what the admin changed: locked fields never, an emptied stored value as `null`. */
export function changedSettings(view: SettingsView, draft: SettingsDraft, clears: SettingsClears): SettingsUpdate {
  const update: SettingsUpdate = {}
  for (const f of view.fields) {
    if (!isEditable(f)) continue
    const v = draft[f.key]
    if (isSwitch(f)) {
      if (typeof v === 'boolean' && v !== (f.value === true)) update[f.key] = v
      continue
    }
    const text = typeof v === 'string' ? v.trim() : ''
    if (f.secret) {
      // Pasted secrets often carry a trailing newline; WeCom's never contain spaces.
      if (text) update[f.key] = text
      else if (clears[f.key]) update[f.key] = null
      continue
    }
    const before = typeof f.value === 'string' ? f.value : ''
    if (text !== before) update[f.key] = text === '' ? null : text
  }
  return update
}

/** The settings form's server side: load, and save with WeCom's verdict per field. */
export const useAdminSettingsStore = defineStore('admin-settings', () => {
  const view = shallowRef<SettingsView | null>(null)
  const status = shallowRef<LoadStatus>('idle')
  const error = shallowRef<ApiRequestError | null>(null)
  const saving = shallowRef(false)
  /** Per-key messages from the last rejected save. */
  const fieldErrors = shallowRef<Readonly<Record<string, string>>>({})
  /** A failed save that is not about one field (network, WeCom down). */
  const saveError = shallowRef<ApiRequestError | null>(null)
  const restartRequired = shallowRef(false)

  async function load(): Promise<void> {
    status.value = view.value ? 'ready' : 'loading'
    error.value = null
    try {
      view.value = await fetchSettings()
      status.value = 'ready'
    } catch (e) {
      error.value = requestFailed(e)
      status.value = view.value ? 'ready' : 'error'
    }
  }

  /** True when saved; otherwise `fieldErrors` / `saveError` say why. Never throws. */
  async function save(update: SettingsUpdate): Promise<boolean> {
    saving.value = true
    saveError.value = null
    fieldErrors.value = {}
    try {
      const next = await saveSettings(update)
      view.value = next
      restartRequired.value = next.restartRequired === true
      return true
    } catch (e) {
      const err = requestFailed(e)
      if (err.fields && Object.keys(err.fields).length > 0) fieldErrors.value = err.fields
      else saveError.value = err
      return false
    } finally {
      saving.value = false
    }
  }

  function clearFieldError(key: string): void {
    if (!(key in fieldErrors.value)) return
    const { [key]: _gone, ...rest } = fieldErrors.value
    fieldErrors.value = rest
  }

  return { view, status, error, saving, fieldErrors, saveError, restartRequired, load, save, clearFieldError }
})
