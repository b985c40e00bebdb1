import type { Context, Hono } from 'hono'
import { callerApp } from '../tickets/caller-app'
import { wecomError, wecomOk } from '../errors'
import type { OrgIndex } from './org-index'
import type { Member } from './org-types'
import type { SandboxState } from '../state'

const PATH = '/cgi-bin/user/list_id'
/** The doc gives the range 1–10000 but no default; 1000 is the sandbox's choice. */
const DEFAULT_LIMIT = 1000
const MAX_LIMIT = 10_000

interface Position {
  /** The member's directory position (OrgIndex.seq) ... */
  seq: number
  /** ... and the index into its department list. */
  dept: number
}

/**
 * POST user/list_id (https://developer.work.weixin.qq.com/document/path/96067): one row per (member, department) over the whole
 * directory, for the contact-sync secret only (48002 otherwise; it ignores the app's visible
 * range). Quit members are not listed. The cursor names the next row by directory position, so
 * each page is O(limit + log n) and paging stays stable while members come and go.
 */
export function registerUserListId(app: Hono, s: SandboxState): void {
  app.all(PATH, async (c) => {
    // A GET carries no body; WeCom reports that as a bad parameter (90313 on 40058).
    if (c.req.method !== 'POST') return wecomError(c, s, 40058, 'invalid Request Parameter, POST required')
    if (callerApp(c, s) !== 'contact') return wecomError(c, s, 48002, 'api forbidden: user/list_id needs the contact-sync secret')
    const body = await readJson(c)
    if (body === undefined) return wecomError(c, s, 40058, 'Warning: wrong json format.')
    const limit = body.limit === undefined ? DEFAULT_LIMIT : body.limit
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return wecomError(c, s, 40058, 'invalid Request Parameter, limit')
    }
    const cursor = body.cursor === undefined ? '' : body.cursor
    if (typeof cursor !== 'string') return wecomError(c, s, 40058, 'invalid Request Parameter, cursor')
    const from = cursor === '' ? { seq: 0, dept: 0 } : decodeCursor(cursor)
    if (!from) return wecomError(c, s, 50100)
    const page = readPage(s.directory, from, limit)
    return wecomOk(c, { next_cursor: page.next ? encodeCursor(page.next) : '', dept_user: page.rows })
  })
}

async function readJson(c: Context): Promise<{ cursor?: unknown; limit?: unknown } | undefined> {
  const text = await c.req.text()
  if (!text.trim()) return {}
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

function readPage(index: OrgIndex, from: Position, limit: number): { rows: { userid: string; department: number }[]; next: Position | undefined } {
  const members = index.org.members
  let i = firstAtOrAfter(index, from.seq)
  let j = i < members.length && seqOf(index, members[i]!) === from.seq ? from.dept : 0
  const rows: { userid: string; department: number }[] = []
  while (i < members.length && rows.length < limit) {
    const m = members[i]!
    if (m.status !== 5) {
      while (j < m.department.length && rows.length < limit) rows.push({ userid: m.userid, department: m.department[j++]! })
      if (j < m.department.length) return { rows, next: { seq: seqOf(index, m), dept: j } }
    }
    i += 1
    j = 0
  }
  // Skip trailing quit members so the last page says "done" instead of handing out an empty one.
  while (i < members.length && members[i]!.status === 5) i += 1
  return { rows, next: i < members.length ? { seq: seqOf(index, members[i]!), dept: 0 } : undefined }
}

function seqOf(index: OrgIndex, m: Member): number {
  return index.seq.get(m) ?? 0
}

/** Binary search: org.members is sorted by seq. */
function firstAtOrAfter(index: OrgIndex, seq: number): number {
  const members = index.org.members
  let lo = 0
  let hi = members.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (seqOf(index, members[mid]!) < seq) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Opaque to clients, as WeCom's is; the prefix lets a forged or truncated one be told apart. */
function encodeCursor(p: Position): string {
  return Buffer.from(`sbx1:${p.seq}:${p.dept}`).toString('base64url')
}

function decodeCursor(cursor: string): Position | undefined {
  const m = /^sbx1:(\d{1,9}):(\d{1,4})$/.exec(Buffer.from(cursor, 'base64url').toString())
  return m ? { seq: Number(m[1]), dept: Number(m[2]) } : undefined
}
