/** Where the H5 was opened from. Detection is by User-Agent only (see wecom-api.md §4.4). */
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
