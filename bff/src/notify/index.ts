// The notification outbox: rows queued with enqueueNotification (in the caller's transaction),
// sent by the worker through message/send, with retries, member problems and crash safety.
export { enqueueNotification, type OutboxMessage } from './enqueue'
export { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './worker'
export { DEFAULT_RETRY, type RetryPolicy } from './retry-policy'
export { WECOM_MEMBER_LIMITS, type MemberLimits } from './member-pacing'
export type { NotifyProblem } from './member-problem'
