// Messages to members that are not todos (the host API's notifications): checked against the directory, queued in the outbox.
import type { HostNotificationInput } from '@portal/shared'
import { randomId } from '../auth/tokens'
import type { Config } from '../config'
import type { Db } from '../db'
import { isActive, memberStandings } from '../directory/member-store'
import { ApiFailure } from '../errors'
import type { OutboxMessage } from './enqueue'
import { enqueueNotifications } from './outbox-store'
import type { OutboxWorker } from '.'
import { notificationLink } from './links'
import { clipBytes } from './message-text'

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
 * Queues one message per member, all or none, as one send group (sent in one call). With an Idempotency-Key a retried request queues
 * nothing new (and answers the same); without one each request is a new notification.
 */
export async function queueHostNotification(deps: HostNotifyNeeds, host: string, n: HostNotificationInput, idempotencyKey: string | undefined): Promise<{ queued: number }> {
  const wanted = [...new Map(n.userids.map((u) => [u.toLowerCase(), u])).values()]
  const rows = await memberStandings(deps.db, wanted)
  const active = new Map(rows.filter(isActive).map((r) => [r.userid.toLowerCase(), r.userid]))
  const bad = wanted.filter((u) => !active.has(u.toLowerCase()))
  if (bad.length) {
    throw new ApiFailure('bad_request', `Not active members of the directory: ${bad.join(', ')}.`, { fields: { userids: `not active members: ${bad.join(', ')}` } })
  }
  const batch = idempotencyKey ?? randomId(16)
  const msg = message(deps.config, n)
  const now = new Date(deps.now())
  // One message/send call for all of them (a request names at most 1,000, as one call may).
  const group = active.size > 1 ? `host:${host}:notify:${batch}` : undefined
  const list = [...active.values()].map((userid) => ({ dedupeKey: `host:${host}:notify:${batch}:${userid.toLowerCase()}`, userid, message: msg, group }))
  await deps.db.write((tx) => enqueueNotifications(tx, now, list))
  deps.outbox.wake()
  return { queued: active.size }
}
