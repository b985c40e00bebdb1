import type { Context } from 'hono'
import type { z } from 'zod'
import { issuesText } from './schemas'

export type Parsed<T> = { ok: true; value: T } | { ok: false; res: Response }

/** JSON body checked against a schema; 400 with errcode 40058 (WeCom's "bad parameter") otherwise. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.infer<S>>> {
  const text = await c.req.text()
  let body: unknown = {}
  try {
    if (text.trim()) body = JSON.parse(text)
  } catch {
    return { ok: false, res: c.json({ errcode: 40058, errmsg: 'Warning: wrong json format.' }, 400) }
  }
  const result = schema.safeParse(body)
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, res: c.json({ errcode: 40058, errmsg: `invalid Request Parameter: ${issuesText(result.error)}` }, 400) }
}
