import type { Approval } from './types'

/** Every approval of the sandbox corp, in submission order. */
export interface ApprovalStore {
  byNo: Map<string, Approval>
  /** Sequence per yyyymmdd, for the next sp_no. */
  daySeq: Map<string, number>
  nextCommentId: number
}

export function createApprovalStore(): ApprovalStore {
  return { byNo: new Map(), daySeq: new Map(), nextCommentId: 1 }
}

/** China time (UTC+8): WeCom numbers forms by the corp's calendar day. */
const CST_OFFSET_MS = 8 * 3600 * 1000

/** yyyymmdd + a 4-digit per-day sequence, e.g. 202611010001 (WeCom's format). */
export function nextSpNo(store: ApprovalStore, nowMs: number): string {
  const day = new Date(nowMs + CST_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '')
  const seq = (store.daySeq.get(day) ?? 0) + 1
  store.daySeq.set(day, seq)
  return `${day}${String(seq).padStart(4, '0')}`
}

export function approvalsInOrder(store: ApprovalStore): Approval[] {
  return [...store.byNo.values()].sort((a, b) => a.apply_time - b.apply_time || a.sp_no.localeCompare(b.sp_no))
}
