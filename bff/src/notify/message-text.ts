// Message text for WeCom: its limits are in bytes, members read characters.
/** WeCom limits (https://developer.work.weixin.qq.com/document/path/90236) are in bytes; cut on characters. */
export function clipBytes(text: string, max: number): string {
  const enc = new TextEncoder()
  if (enc.encode(text).length <= max) return text
  let out = ''
  for (const ch of text) {
    if (enc.encode(out + ch + '…').length > max) break
    out += ch
  }
  return out + '…'
}
