// Deep enough that white text reads at 4.5:1 or more (WCAG AA for regular-weight text) on each.
const palette = ['#245bdb', '#0a7f6a', '#b35900', '#6446e0', '#c9302c', '#0b72b5', '#007a4d', '#b8306f']

/**
 * What a member without a photo shows, as WeCom's own default avatars do (and so the sandbox's):
 * the last two characters of a Chinese name (张三 → 张三, 欧阳娜娜 → 娜娜), else an initial.
 */
export function avatarInitial(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length >= 2 && chars.every((c) => /\p{Script=Han}/u.test(c))) return chars.slice(-2).join('')
  return chars[0] ? chars[0].toUpperCase() : '?'
}

/** A stable color per person, so the same member always looks the same. */
export function avatarColor(seed: string): string {
  let h = 0
  for (const c of seed) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0
  return palette[h % palette.length] ?? palette[0]!
}
