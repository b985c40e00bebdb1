import type { ConsentedContact } from '@portal/shared'
import type { Db, Queryable } from '../db'

/** The member's answer to the one-time offer; after any of them they are not asked again. */
export type ContactDecision = 'consented' | 'dismissed' | 'declined' | 'withdrawn'

/** What auth/getuserdetail gave, in our shape (gender 1 male, 2 female, as in `members`). */
export interface ContactFields {
  mobile?: string
  email?: string
  bizMail?: string
  avatar?: string
  gender?: 1 | 2
  address?: string
}

interface Row {
  mobile: string | null
  email: string | null
  biz_mail: string | null
  avatar: string | null
  gender: number | null
  address: string | null
  consented_at: Date | string
}

const key = (userid: string) => userid.toLowerCase()

export async function readContact(db: Queryable, userid: string): Promise<ConsentedContact | null> {
  const [row] = await db.query<Row>('select mobile, email, biz_mail, avatar, gender, address, consented_at from member_contacts where userid = $1', [key(userid)])
  return row ? toContact(row) : null
}

export async function readDecision(db: Queryable, userid: string): Promise<ContactDecision | null> {
  const [row] = await db.query<{ decision: ContactDecision }>('select decision from member_contact_prompts where userid = $1', [key(userid)])
  return row?.decision ?? null
}

export async function recordDecision(db: Queryable, userid: string, decision: ContactDecision, now: number): Promise<void> {
  await db.query(
    `insert into member_contact_prompts (userid, decision, decided_at) values ($1, $2, $3)
     on conflict (userid) do update set decision = excluded.decision, decided_at = excluded.decided_at`,
    [key(userid), decision, new Date(now)],
  )
}

/** The shared fields replace whatever the member shared before, with their decision. */
export async function saveContact(db: Db, userid: string, f: ContactFields, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into member_contacts (userid, mobile, email, biz_mail, avatar, gender, address, consented_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (userid) do update set mobile = excluded.mobile, email = excluded.email, biz_mail = excluded.biz_mail,
         avatar = excluded.avatar, gender = excluded.gender, address = excluded.address, consented_at = excluded.consented_at`,
      [key(userid), f.mobile ?? null, f.email ?? null, f.bizMail ?? null, f.avatar ?? null, f.gender ?? null, f.address ?? null, new Date(now)],
    )
    await recordDecision(tx, userid, 'consented', now)
  })
}

/** Withdrawal deletes what the member shared (not just hides it) and keeps them from being asked again. */
export async function deleteContact(db: Db, userid: string, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('delete from member_contacts where userid = $1', [key(userid)])
    await recordDecision(tx, userid, 'withdrawn', now)
  })
}

function toContact(r: Row): ConsentedContact {
  return {
    ...(r.mobile ? { mobile: r.mobile } : {}),
    ...(r.email ? { email: r.email } : {}),
    ...(r.biz_mail ? { bizMail: r.biz_mail } : {}),
    ...(r.avatar ? { avatar: r.avatar } : {}),
    ...(r.gender === 1 ? { gender: 'male' as const } : r.gender === 2 ? { gender: 'female' as const } : {}),
    ...(r.address ? { address: r.address } : {}),
    consentedAt: new Date(r.consented_at).toISOString(),
  }
}
