import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env'
import type { Deps } from '../deps'
import { getMember } from '../directory/member-store'
import { ApiFailure } from '../errors'
import { readCookie, SESSION_COOKIE } from './cookies'
import { adminContacts, rolesFor } from './roles'
import { loadSession, revokeSession } from './sessions'

/** Lets through signed-in, active members holding a role; sets session, member and roles. */
export function requireMember(deps: Deps): MiddlewareHandler<AppEnv> {
  const { config, db } = deps
  return async (c, next) => {
    const id = readCookie(c, SESSION_COOKIE)
    const session = id ? await loadSession(db, config.session, id, deps.now()) : null
    if (!id || !session) throw new ApiFailure('unauthenticated', 'Not signed in, or the session has expired.')
    const member = await getMember(db, session.userid)
    if (!member || member.status !== 1) {
      await revokeSession(db, id, 'member_inactive', deps.now())
      throw new ApiFailure('unauthenticated', 'This member is no longer active.')
    }
    const roles = await rolesFor(db, config.roles, member)
    if (!roles.length) {
      const who = (await adminContacts(db, config.roles)).join('、')
      throw new ApiFailure('forbidden', 'No permission to use this app.', { hint: who ? `Ask an admin: ${who}` : 'Ask your admin for access.' })
    }
    c.set('sessionId', id)
    c.set('session', session)
    c.set('member', member)
    c.set('roles', roles)
    await next()
  }
}

export function requireRole(role: 'admin'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('roles').includes(role)) throw new ApiFailure('forbidden', `This needs the ${role} role.`)
    await next()
  }
}
