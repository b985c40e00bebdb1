const palette = ['#3370ff', '#0fbf9f', '#ff8800', '#7b61ff', '#f54a45', '#14a9ff', '#00b578', '#e6408f']

/** The first character of the name: a Chinese surname, or an initial for Latin names. */
export function avatarInitial(name: string): string {
  const ch = Array.from(name.trim())[0]
  return ch ? ch.toUpperCase() : '?'
}

/** A stable color per person, so the same member always looks the same. */
export function avatarColor(seed: string): string {
  let h = 0
  for (const c of seed) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0
  return palette[h % palette.length] ?? palette[0]!
}
