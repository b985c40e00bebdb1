import { endMemberSessions } from '../auth/sessions'
import type { Deps } from '../deps'
import { WeComError } from '../wecom'
import { upsertDepartments, upsertMembers } from './apply-diff'
import { departmentFromWeCom, memberFromWeCom } from './from-wecom'
import { bumpDirectoryVersion } from './version'

/** A decrypted `change_contact` event: ChangeType plus its fields (wecom-api.md §8.5). */
export interface ContactChange {
  changeType: string
  fields: Record<string, unknown>
}

// WeCom's answers for "no such member/department (any more), or not visible to this app".
const GONE = new Set([60111, 60011, 60123, 40003, 50002, 60003])

/**
 * Applies one contact change. Events may carry only the changed fields, so the member or
 * department is re-read from WeCom and stored whole; one that is gone is disabled (members) or
 * marked removed (departments), never deleted.
 */
export function contactChangeHandler(deps: Pick<Deps, 'db' | 'wecom' | 'log' | 'now' | 'principals' | 'readModel'>) {
  const { db, wecom, now } = deps
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '')

  async function disableMember(userid: string): Promise<void> {
    await db.transaction(async (tx) => {
      const rows = await tx.query('update members set disabled_at = $2, updated_at = $2 where lower(userid) = lower($1) and disabled_at is null returning 1', [userid, new Date(now())])
      await bumpDirectoryVersion(tx, rows.length > 0)
    })
    await endMemberSessions(deps, userid)
  }

  async function refreshMember(userid: string): Promise<void> {
    let member
    try {
      member = memberFromWeCom(await wecom.getUser(userid))
    } catch (e) {
      if (e instanceof WeComError && GONE.has(e.errcode)) return disableMember(userid)
      throw e
    }
    await db.transaction(async (tx) => {
      await upsertMembers(tx, [member], new Date(now()))
      await bumpDirectoryVersion(tx, true)
    })
    if (member.status !== 1) {
      await endMemberSessions(deps, member.userid)
    }
  }

  async function removeDepartment(id: number): Promise<void> {
    await db.transaction(async (tx) => {
      const rows = await tx.query('update departments set removed_at = $2, updated_at = $2 where id = $1 and removed_at is null returning 1', [id, new Date(now())])
      await bumpDirectoryVersion(tx, rows.length > 0)
    })
  }

  async function refreshDepartment(id: number): Promise<void> {
    let dep
    try {
      dep = departmentFromWeCom(await wecom.getDepartment(id))
    } catch (e) {
      if (e instanceof WeComError && GONE.has(e.errcode)) return removeDepartment(id)
      throw e
    }
    await db.transaction(async (tx) => {
      await upsertDepartments(tx, [dep], new Date(now()))
      await bumpDirectoryVersion(tx, true)
    })
  }

  return async (e: ContactChange): Promise<void> => {
    const userid = text(e.fields.UserID)
    const partyId = Number(text(e.fields.Id))
    switch (e.changeType) {
      case 'create_user':
      case 'update_user': {
        if (!userid) throw new Error(`${e.changeType} without UserID`)
        const renamed = text(e.fields.NewUserID)
        if (renamed && renamed.toLowerCase() !== userid.toLowerCase()) {
          await disableMember(userid)
          await refreshMember(renamed)
        } else await refreshMember(userid)
        break
      }
      case 'delete_user':
        if (!userid) throw new Error('delete_user without UserID')
        await disableMember(userid)
        break
      case 'create_party':
      case 'update_party':
        if (!Number.isInteger(partyId)) throw new Error(`${e.changeType} without Id`)
        await refreshDepartment(partyId)
        break
      case 'delete_party':
        if (!Number.isInteger(partyId)) throw new Error('delete_party without Id')
        await removeDepartment(partyId)
        break
      default:
        deps.log.info('contact change ignored', { changeType: e.changeType })
        return
    }
    deps.readModel.invalidate()
  }
}
