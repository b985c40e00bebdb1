import type { MemberDetail } from '@portal/shared'
import type { Queryable } from '../db'
import { readContact } from './store'

type Consented = NonNullable<MemberDetail['consented']>[number]

/**
 * A member card: what the member shared themselves fills the fields the directory left empty
 * (apps created after 2022-06-20 get no mobile, email, avatar or gender from user/get); the
 * synced value wins where there is one. `consented` names the fields that came from the member.
 */
export async function withConsentedContact(db: Queryable, body: MemberDetail): Promise<MemberDetail> {
  const shared = await readContact(db, body.userid)
  if (!shared) return body
  const out: MemberDetail = { ...body }
  const from: Consented[] = []
  for (const k of ['avatar', 'gender', 'mobile', 'email', 'bizMail', 'address'] as const) {
    const v = shared[k]
    if (v === undefined || out[k] !== undefined) continue
    ;(out as Record<string, unknown>)[k] = v
    from.push(k)
  }
  return from.length ? { ...out, consented: from } : out
}
