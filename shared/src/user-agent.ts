/** Where the H5 was opened from. Detection is by User-Agent only (`wxwork/` marks every WeCom client: see the README, "Sign-in"). */
export type EntryContext = 'wecom-mobile' | 'wecom-desktop' | 'browser'

const WECOM = /\bwxwork(local)?\//i
const MOBILE = /\b(iPhone|iPad|iPod|Android|Mobile|HarmonyOS|OpenHarmony)\b/i
const DESKTOP = /\b(Windows NT|Macintosh|Mac OS X 1\d|WindowsWechat|MacWechat|X11; Linux)\b/i

export function isWeComClient(ua: string | null | undefined): boolean {
  return !!ua && WECOM.test(ua)
}

export function detectEntryContext(ua: string | null | undefined): EntryContext {
  if (!isWeComClient(ua)) return 'browser'
  // iPadOS and phones also say "Mac OS X"; a mobile marker wins.
  if (MOBILE.test(ua!)) return 'wecom-mobile'
  if (DESKTOP.test(ua!)) return 'wecom-desktop'
  return 'wecom-mobile'
}

/** The WeCom client version from `wxwork/x.y.z`, or null outside WeCom. */
export function wecomVersion(ua: string | null | undefined): string | null {
  const m = ua?.match(/\bwxwork\/([\d.]+)/i)
  return m?.[1] ?? null
}

/**
 * The theme the WeCom client is painted in, from its `ColorScheme/Dark` or `ColorScheme/Light`
 * token; null outside WeCom or when the client does not say (older clients, some desktop builds).
 */
export function wecomColorScheme(ua: string | null | undefined): 'dark' | 'light' | null {
  if (!isWeComClient(ua)) return null
  const m = ua!.match(/\bColorScheme\/(Dark|Light)\b/i)
  return m ? (m[1]!.toLowerCase() as 'dark' | 'light') : null
}

/**
 * The language chosen in the WeCom client (its own setting, which can differ from the phone's),
 * from `Language/zh` or `Language/en` (some builds add `Lang/xx` or a region: `zh_CN`); null
 * outside WeCom or for a language the portal has no text in.
 */
export function wecomLanguage(ua: string | null | undefined): 'zh' | 'en' | null {
  if (!isWeComClient(ua)) return null
  const m = ua!.match(/\bLang(?:uage)?\/(zh|en)(?:[_-]\w+)?\b/i)
  return m ? (m[1]!.toLowerCase() as 'zh' | 'en') : null
}
