import type { Lang } from '../i18n/use-i18n'

/** WeCom shows document.title in its navigation bar, so keep it short. */
export function applyDocumentMeta(lang: Lang, title: string): void {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN'
  document.title = title
}
