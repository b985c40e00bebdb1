import type { Role } from '@portal/shared'
import type { Principal } from './auth/principal-cache'
import type { SessionRow } from './auth/sessions'
import type { MemberRecord } from './directory/member-store'

/** Hono context variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string
    sessionId: string
    principal: Principal
    session: SessionRow
    member: MemberRecord
    roles: Role[]
  }
}
