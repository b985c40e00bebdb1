import { readonly, ref } from 'vue'
import { wecomLanguage } from '@portal/shared'
import { zh, type MessageKey } from './messages'
import { lazyText } from './lazy-text'

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

// English is a lazy chunk (most members read Chinese; it is ~4 KB gzip of every first load).
// Until it arrives, or if it cannot be fetched, the Chinese text stands in.
const english = lazyText(() => import('./messages-en').then((m) => m.en))

/** Loads the English text once (again after a failed download). */
export function loadEnglish(): Promise<void> {
  return english.load()
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text: string = (lang === 'en' && english.text.value ? english.text.value : zh)[key]
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
// Started at once, so it downloads beside /api/me; the router waits for it (ensureLanguage).
if (lang.value === 'en') void loadEnglish()

/** For the router: the current language's text is there before a page renders. */
export function ensureLanguage(): Promise<void> {
  return lang.value === 'en' ? loadEnglish() : Promise.resolve()
}

function readPreference(): LangPreference {
  const s = readStored()
  return s === 'zh' || s === 'en' ? s : 'auto'
}

let switches = 0

/** Switches once the language's text is there, so no page shows half of each; the last call wins. */
async function setLang(next: LangPreference): Promise<void> {
  try {
    if (next === 'auto') localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Not persisted; still switch for this page view.
  }
  preference.value = next
  const target = next === 'auto' ? detectLang(null, navigator.language, navigator.userAgent) : next
  const mine = ++switches
  if (target === 'en') await loadEnglish()
  if (mine === switches) lang.value = target
}

export function useI18n() {
  return {
    lang: readonly(lang),
    preference: readonly(preference),
    setLang,
    t: (key: MessageKey, vars?: Record<string, string | number>) => translate(lang.value, key, vars),
  }
}
