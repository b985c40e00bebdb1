import type { Localized } from '@portal/shared'

/**
 * Host display names: what members read as the source of a host's todos (the H5's tag, the
 * WeCom card), e.g. `oa` → "OA 审批". The key in HOST_API_KEYS names a host for machines; this
 * names it for people, in the corp's language. Kept apart from the keys (HOST_DISPLAY_NAMES or
 * the console's setting) so that naming a host never means handling its secret.
 */
export type HostNames = Record<string, string>

/** A host's name as HOST_API_KEYS allows it (before the first ':'). */
export const HOST_NAME_PATTERN = /^[\w.-]{1,32}$/

/** Sandbox mode's demo host, named as a member would know it. */
export const SANDBOX_HOST_NAMES = 'demo-host=示例 OA'

/** Longest display name, in characters: the H5's tag shows about 8, WeCom's card source 13 (39 bytes). */
const MAX_CHARS = 16

const L = (zh: string, en: string): Localized => ({ zh, en })

/**
 * `oa=OA 审批,crm=客户系统`: pairs separated by commas (full-width too, as a Chinese keyboard
 * types them) or new lines. Problems never quote more than the host name.
 */
export function parseHostNames(text: string): { ok: true; names: HostNames } | { ok: false; problem: Localized } {
  // No prototype: a host may be called `constructor` or `__proto__`.
  const names: HostNames = Object.create(null) as HostNames
  for (const pair of text.split(/[,，\n]/).map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=')
    const host = (at < 0 ? pair : pair.slice(0, at)).trim()
    const shown = HOST_NAME_PATTERN.test(host) ? host : `#${Object.keys(names).length + 1}`
    if (at < 0) return { ok: false, problem: L(`「${shown}」缺少「=」：应为 宿主名=显示名，例如 oa=OA 审批。`, `"${shown}" has no "=": expected host=display name pairs, e.g. oa=OA 审批.`) }
    if (!HOST_NAME_PATTERN.test(host)) return { ok: false, problem: L(`第 ${Object.keys(names).length + 1} 项的宿主名应为 HOST_API_KEYS 中冒号前的名称：1–32 个字母、数字、「.」「_」或「-」。`, `Pair ${Object.keys(names).length + 1}: the host must be its name in HOST_API_KEYS (before the ':'): 1–32 letters, digits, '.', '_' or '-'.`) }
    const display = pair.slice(at + 1).trim()
    const chars = [...display].length
    if (chars === 0 || chars > MAX_CHARS) return { ok: false, problem: L(`「${host}」的显示名应为 1–${MAX_CHARS} 个字符，现为 ${chars} 个。`, `"${host}": the display name must be 1–${MAX_CHARS} characters, got ${chars}.`) }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f=]/.test(display)) return { ok: false, problem: L(`「${host}」的显示名不能含控制字符或「=」。`, `"${host}": the display name may not hold control characters or "=".`) }
    if (Object.hasOwn(names, host)) return { ok: false, problem: L(`「${host}」出现了两次。`, `"${host}" is named twice.`) }
    names[host] = display
  }
  return { ok: true, names }
}

/** The one text form (`a=A,b=B`), so that a setting compares equal to itself however it was typed. */
export function formatHostNames(names: HostNames): string {
  return Object.entries(names)
    .map(([host, display]) => `${host}=${display}`)
    .join(',')
}

/** The display name of a host, if it has one. */
export const hostDisplayName = (names: HostNames, host: string): string | undefined => (Object.hasOwn(names, host) ? names[host] : undefined)
