import type { Context, MiddlewareHandler, Next } from 'hono'
import type { AppEnv } from '../app-env'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import type { Db } from '../db'
import type { DirectoryReadModel } from '../directory/read-model'
import { departmentNames, getMember, isActive, type MemberRecord } from '../directory/member-store'
import { ApiFailure } from '../errors'
import { setRequestUser } from '../http/request-context'
import { readCookie, SESSION_COOKIE } from './cookies'
import type { Principal, PrincipalCache } from './principal-cache'
import { adminContacts, rolePolicy, rolesFor } from './roles'
import { loadSession, revokeSession, TOUCH_EVERY_MS } from './sessions'

/** What the member gate needs (every route behind a sign-in needs it too). */
export interface MemberGateNeeds {
  config: Config
  db: Db
  now: () => number
  principals: PrincipalCache
  readModel: DirectoryReadModel
  /** The role policy, read per check. */
  settings: Pick<RuntimeSettings, 'get'>
}

/** Lets through signed-in, active members holding a role; sets session, member and roles. */
export function requireMember(deps: MemberGateNeeds): MiddlewareHandler<AppEnv> {
  const { config, db, principals } = deps
  const admit = (c: Context<AppEnv>, id: string, p: Principal) => {
    c.set('sessionId', id)
    c.set('principal', p)
    c.set('session', p.session)
    c.set('member', p.member)
    c.set('roles', p.roles)
    setRequestUser(p.member.userid)
  }
  const refuse = async (): Promise<never> => {
    const who = (await adminContacts(db, rolePolicy(config, deps.settings))).join('、')
    throw new ApiFailure('forbidden', 'No permission to use this app.', { hint: who ? `Ask an admin: ${who}` : 'Ask your admin for access.' })
  }
  const admitLoaded = async (c: Context<AppEnv>, next: Next, id: string, now: number) => {
    const p = await principals.load(id, now, () => loadPrincipal(deps, id, now))
    if (!p.roles.length) await refuse()
    admit(c, id, p)
    await next()
  }
  return (c, next) => {
    const id = readCookie(c, SESSION_COOKIE)
    if (!id) throw new ApiFailure('unauthenticated', 'Not signed in.')
    const now = deps.now()
    const p = principals.get(id, now)
    // Past an expiry, or due to slide the idle expiry: ask the database again.
    if (!p || now >= p.session.idleExpiresAt.getTime() || now >= p.session.absoluteExpiresAt.getTime() || now - p.touchedAt >= TOUCH_EVERY_MS) {
      return admitLoaded(c, next, id, now)
    }
    if (!p.roles.length) return refuse()
    // A cached principal: no await of its own (each promise costs the request context's async hooks).
    admit(c, id, p)
    return next()
  }
}

async function loadPrincipal(deps: MemberGateNeeds, id: string, now: number): Promise<Principal> {
  const { config, db } = deps
  const session = await loadSession(db, config.session, id, now)
  if (!session) throw new ApiFailure('unauthenticated', 'Not signed in, or the session has expired.')
  const member = activeInReadModel(deps, session.userid) ?? (await getMember(db, session.userid))
  if (!member || !isActive(member)) {
    await revokeSession(db, id, 'member_inactive', now)
    throw new ApiFailure('unauthenticated', 'This member is no longer active.')
  }
  const roles = await rolesFor(db, rolePolicy(config, deps.settings), member)
  return { session, member, roles, departmentNames: await departmentNames(db, member.departments.map((x) => x.departmentId)), touchedAt: now }
}

/**
 * The member as the directory read model holds them, when it is built and says they are active:
 * no query (the store looks a userid up case-insensitively, which at 100k members is a scan).
 * Whatever makes a member inactive also ends their sessions, so a model a moment behind cannot
 * let anyone in; people it does not hold as active (just signed in, or back) are read from the store.
 */
function activeInReadModel({ readModel }: Pick<MemberGateNeeds, 'readModel'>, userid: string): MemberRecord | undefined {
  // Never waits for a rebuild (seconds at 100k members, after every sync or callback).
  const m = readModel.latest()?.members.get(userid.toLowerCase())
  return m && isActive(m) ? m : undefined
}

export function requireRole(role: 'admin'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('roles').includes(role)) throw new ApiFailure('forbidden', `This needs the ${role} role.`)
    await next()
  }
}
