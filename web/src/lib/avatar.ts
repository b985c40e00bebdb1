const palette = ['#3370ff', '#0fbf9f', '#ff8800', '#7b61ff', '#f54a45', '#14a9ff', '#00b578', '#e6408f']

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
