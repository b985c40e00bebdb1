import { approvalEventXml } from './events'
import type { Approval } from './types'
import { deliverInBackground, deliverPlaintext } from '../callbacks/delivery'
import type { CallbackDelivery } from '../callbacks/log'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'
import { canSeeMember, visibilityFor } from '../directory/visibility'

const LABEL = { event: 'sys_approval_change' }

/** Only forms from members inside the app's visible range reach a self-built app (https://developer.work.weixin.qq.com/document/path/91815). */
function reachesApp(s: SandboxState, a: Approval): boolean {
  const m = findMember(s.directory, a.applyer.userid)
  return m !== undefined && canSeeMember(visibilityFor(s, 'agent'), m)
}

/** After an admin action: waits for the first attempt so the caller can report it. */
export async function notifyApprovalChange(s: SandboxState, a: Approval, statuChangeEvent: number): Promise<CallbackDelivery | null> {
  if (!reachesApp(s, a)) return null
  return deliverPlaintext(s, approvalEventXml(s, a, statuChangeEvent), LABEL)
}

/** After applyevent: the API answers first, the push follows. */
export function notifyApprovalChangeLater(s: SandboxState, a: Approval, statuChangeEvent: number): void {
  if (reachesApp(s, a)) deliverInBackground(s, approvalEventXml(s, a, statuChangeEvent), LABEL)
}
