import type { Localized } from '@portal/shared'
import { useI18n } from '../use-i18n'
import { opsEn, opsZh } from './ops-messages'
import { setupEn, setupZh } from './setup-messages'

// The console's text lives in its own chunk: members never download it.
const zh = { ...setupZh, ...opsZh }
const en: Record<AdminMessageKey, string> = { ...setupEn, ...opsEn }
export type AdminMessageKey = keyof typeof zh

/** `t` for admin pages (same language as the rest of the H5), and `pick` for BFF-written text. */
export function useAdminI18n() {
  const { lang } = useI18n()
  return {
    lang,
    t(key: AdminMessageKey, vars?: Record<string, string | number>): string {
      const text: string = (lang.value === 'en' ? en : zh)[key]
      return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text
    },
    pick: (text: Localized): string => (lang.value === 'en' ? text.en : text.zh),
  }
}
