import { watch } from 'vue'
import type { Localized } from '@portal/shared'
import { useI18n } from '../use-i18n'
import { lazyText } from '../lazy-text'
import { opsZh } from './ops-messages'
import { doctorZh } from './setup-doctor-messages'
import { guideZh } from './setup-guide-messages'
import { settingsZh } from './setup-settings-messages'

// The console's text lives in its own chunks: members never download it, and the English half
// loads only for an English UI (most admins read Chinese).
const zh = { ...guideZh, ...settingsZh, ...doctorZh, ...opsZh }
export type AdminMessageKey = keyof typeof zh

const en = lazyText(() => import('./admin-en').then((m): Record<AdminMessageKey, string> => m.adminEn))

/** Loads the English text once; the admin routes await it before an English page renders. */
export function loadAdminEnglish(): Promise<void> {
  return en.load()
}

/** For the router: the text of the current language is there before the page renders. */
export function ensureAdminLanguage(): Promise<void> {
  return useI18n().lang.value === 'en' ? loadAdminEnglish() : Promise.resolve()
}

/** `t` for admin pages (same language as the rest of the H5), and `pick` for BFF-written text. */
export function useAdminI18n() {
  const { lang } = useI18n()
  // A switch to English while a page is open: load it, the page re-renders when it arrives.
  watch(lang, (l) => l === 'en' && void loadAdminEnglish(), { immediate: true })
  return {
    lang,
    t(key: AdminMessageKey, vars?: Record<string, string | number>): string {
      const text: string = (lang.value === 'en' && en.text.value ? en.text.value : zh)[key]
      return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text
    },
    pick: (text: Localized): string => (lang.value === 'en' ? text.en : text.zh),
  }
}
