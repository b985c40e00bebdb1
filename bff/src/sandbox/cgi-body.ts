import type { Context } from 'hono'

/** The JSON object a cgi-bin POST carries: {} when empty, undefined when malformed or not an object. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown> | undefined> {
  const text = await c.req.text()
  if (!text.trim()) return {}
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** WeCom's answer to a body that is not JSON ("Warning: wrong json format.", https://developer.work.weixin.qq.com/document/path/90313). */
export const WRONG_JSON = 'Warning: wrong json format.'
