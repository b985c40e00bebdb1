import type { Lang } from '../i18n/use-i18n'

/** The page's language; the title is set per route through the WeCom SDK composable (setTitle). */
export function applyDocumentLang(lang: Lang): void {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN'
}
