import { pinyin } from 'pinyin-pro'

/**
 * Search keys for a name: full pinyin and initials, lower case, letters and digits only.
 * `surname: 'head'` reads 单/曾/解 at the start as surnames (shan, zeng, xie).
 */
export function searchKeys(name: string): { pinyin: string; initials: string } {
  const parts = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' })
    .flatMap((p) => p.toLowerCase().split(/[^a-z0-9]+/))
    .filter(Boolean)
  return { pinyin: parts.join(''), initials: parts.map((p) => p[0]).join('') }
}
