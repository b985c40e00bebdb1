import { readonly, ref } from 'vue'
import { wecomLanguage } from '@portal/shared'
import { en, zh, type MessageKey } from './messages'

export type Lang = 'zh' | 'en'
export type LangPreference = Lang | 'auto'

const STORAGE_KEY = 'portal.lang'

/**
 * The member's own choice (localStorage) first; then the language set in the WeCom client, which
 * its User-Agent carries and which can differ from the phone's; then the browser's language.
 * Chinese unless one of them says English.
 */
export function detectLang(stored: string | null | undefined, browserLanguage: string | undefined, userAgent?: string): Lang {
  if (stored === 'zh' || stored === 'en') return stored
  const wecom = wecomLanguage(userAgent)
  if (wecom) return wecom
  return browserLanguage?.toLowerCase().startsWith('en') ? 'en' : 'zh'
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text: string = (lang === 'en' ? en : zh)[key]
  if (!vars) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    // Storage can be blocked (private mode, embedded iframes); fall back to the browser language.
    return null
  }
}

const preference = ref<LangPreference>(readPreference())
const lang = ref<Lang>(detectLang(readStored(), globalThis.navigator?.language, globalThis.navigator?.userAgent))

function readPreference(): LangPreference {
  const s = readStored()
  return s === 'zh' || s === 'en' ? s : 'auto'
}

function setLang(next: LangPreference): void {
  try {
    if (next === 'auto') localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Not persisted; still switch for this page view.
  }
  preference.value = next
  lang.value = next === 'auto' ? detectLang(null, navigator.language, navigator.userAgent) : next
}

export function useI18n() {
  return {
    lang: readonly(lang),
    preference: readonly(preference),
    setLang,
    t: (key: MessageKey, vars?: Record<string, string | number>) => translate(lang.value, key, vars),
  }
}
