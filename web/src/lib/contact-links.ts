/** `tel:` link for a phone number as WeCom stores it ("+86 138-0000-0000", "021-5555 1234"). */
export function telHref(raw: string | undefined): string | undefined {
  const digits = (raw ?? '').replace(/[^\d+,;#*]/g, '')
  return /\d{3,}/.test(digits) ? `tel:${digits}` : undefined
}

/** `mailto:` link, only for something that looks like an address. */
export function mailHref(raw: string | undefined): string | undefined {
  const addr = (raw ?? '').trim()
  return /^[^\s@<>"]+@[^\s@<>"]+$/.test(addr) ? `mailto:${addr}` : undefined
}
