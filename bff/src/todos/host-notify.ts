import { safeReturnTo, type HostNotificationInput } from '@portal/shared'
import { randomId } from '../auth/tokens'
import type { Config } from '../config'
import type { Db } from '../db'
import { isActive } from '../directory/member-store'
import { ApiFailure } from '../errors'
import { enqueueNotifications, type OutboxMessage } from '../notify/enqueue'
import type { OutboxWorker } from '../notify'
import { appDeepLink, clipBytes } from './notify-todo'

/** Paths of this app that are not pages: wrapping them in OAuth would loop or land on JSON. */
const NOT_PAGES = /^\/(api|auth|wecom)(\/|$)/

/**
 * A link to a page of this app goes through WeCom OAuth (like the new-todo card), so a tap in
 * WeCom signs in silently and lands there; any other link is passed on as is.
 */
export function notificationLink(config: Config, url: string): string {
  const u = new URL(url)
  const app = new URL(`${config.publicUrl}/`)
  const inApp = u.origin === app.origin && (u.pathname === config.basePath.replace(/(.)\/$/, '$1') || u.pathname.startsWith(config.basePath))
  if (!inApp) return url
  const path = `/${u.pathname.slice(config.basePath.length)}${u.search}${u.hash}`
  if (NOT_PAGES.test(path)) return url
  return appDeepLink(config, safeReturnTo(path))
}

function message(config: Config, n: HostNotificationInput): OutboxMessage {
  if (!n.url) return { msgtype: 'text', text: { content: clipBytes([n.title, n.description].filter(Boolean).join('\n'), 2048) } }
  return {
    msgtype: 'textcard',
    // WeCom requires a non-empty description on a textcard.
    textcard: { title: clipBytes(n.title, 128), description: clipBytes(n.description || n.title, 512), url: notificationLink(config, n.url), btntxt: '查看' },
  }
}

export interface HostNotifyNeeds {
  config: Config
  db: Db
  now: () => number
  outbox: Pick<OutboxWorker, 'wake'>
}

/**
 * Queues one message per member, all or none. With an Idempotency-Key a retried request queues
 * nothing new (and answers the same); without one each request is a new notification.
 */
export async function queueHostNotification(deps: HostNotifyNeeds, host: string, n: HostNotificationInput, idempotencyKey: string | undefined): Promise<{ queued: number }> {
  const wanted = [...new Map(n.userids.map((u) => [u.toLowerCase(), u])).values()]
  const rows = await deps.db.query<{ userid: string; status: number; disabled_at: Date | null }>(
    'select userid, status, disabled_at from members where lower(userid) = any($1)',
    [wanted.map((u) => u.toLowerCase())],
  )
  const active = new Map(rows.filter((r) => isActive({ status: r.status, disabledAt: r.disabled_at ?? undefined })).map((r) => [r.userid.toLowerCase(), r.userid]))
  const bad = wanted.filter((u) => !active.has(u.toLowerCase()))
  if (bad.length) {
    throw new ApiFailure('bad_request', `Not active members of the directory: ${bad.join(', ')}.`, { fields: { userids: `not active members: ${bad.join(', ')}` } })
  }
  const batch = idempotencyKey ?? randomId(16)
  const msg = message(deps.config, n)
  const now = new Date(deps.now())
  const list = [...active.values()].map((userid) => ({ dedupeKey: `host:${host}:notify:${batch}:${userid.toLowerCase()}`, userid, message: msg }))
  await deps.db.write((tx) => enqueueNotifications(tx, now, list))
  deps.outbox.wake()
  return { queued: active.size }
}
