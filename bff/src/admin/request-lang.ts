import type { Context } from 'hono'

/** The admin's UI language: the H5 sends it as Accept-Language (messages written for people follow it). */
export function requestLang(c: Context): 'zh' | 'en' {
  return /^\s*zh/i.test(c.req.header('accept-language') ?? '') ? 'zh' : 'en'
}
