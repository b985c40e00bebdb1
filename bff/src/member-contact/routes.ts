import { endpoints, isWeComClient, safeReturnTo, type ContactConsentStart, type MyContact } from '@portal/shared'
import { Hono, type Context } from 'hono'
import { z } from 'zod/mini'
import type { AppEnv } from '../app-env'
import { oauthStarter, type OAuthStartNeeds } from '../auth/oauth-start'
import { requireMember, type MemberGateNeeds } from '../auth/require-member'
import type { Logger } from '../log'
import { ApiFailure } from '../errors'
import { parseBody } from '../http/parse-body'
import { deleteContact, readContact, readDecision, recordDecision } from './store'

const startSchema = z.object({ returnTo: z.optional(z.string().check(z.maxLength(2048))) })

export interface MemberContactRoutesNeeds extends MemberGateNeeds, OAuthStartNeeds {
  log: Logger
}

/**
 * A member's own consented contact details (/api/me/contact): whether to offer the one-time
 * "补充联系方式" prompt, starting the consent sign-in, dismissing the offer, and withdrawal.
 */
export function memberContactRoutes(deps: MemberContactRoutesNeeds) {
  const { config, db, log, now, settings } = deps
  const oauth = oauthStarter(deps)
  const member = requireMember(deps)

  const userid = (c: Context<AppEnv>) => c.get('member').userid.toLowerCase()
  const enabledOrRefuse = () => {
    if (!settings.get('contactConsent')) {
      throw new ApiFailure('forbidden', 'Sharing contact details is turned off for this app.', {
        hint: 'An admin can turn on 成员授权联系方式 in the console settings (or CONTACT_CONSENT=true).',
      })
    }
  }
  // WeCom shows its consent page only inside its client; the sandbox plays the client anywhere.
  const canAskHere = (c: Context) => config.mode === 'sandbox' || isWeComClient(c.req.header('user-agent'))

  async function view(c: Context<AppEnv>): Promise<MyContact> {
    const id = userid(c)
    const [contact, decision] = await Promise.all([readContact(db, id), readDecision(db, id)])
    const enabled = settings.get('contactConsent')
    return { enabled, prompt: enabled && decision === null && canAskHere(c), contact }
  }
  const noStore = { 'Cache-Control': 'no-store' }

  return new Hono<AppEnv>()
    .get(endpoints.myContact.path, member, async (c) => c.json(await view(c), 200, noStore))
    .post(endpoints.myContactConsent.path, member, async (c) => {
      enabledOrRefuse()
      const body = await parseBody(c, startSchema)
      if (!canAskHere(c)) {
        throw new ApiFailure('conflict', 'WeCom asks for this consent only inside its app.', { hint: 'Open the portal in WeCom and try again.' })
      }
      const state = await oauth.newState(c, { returnTo: safeReturnTo(body.returnTo, '/me'), retry: 0, embed: false, consentFor: userid(c) })
      const answer: ContactConsentStart = { url: oauth.authorizeUrl(state, 'snsapi_privateinfo') }
      return c.json(answer, 200, noStore)
    })
    .post(endpoints.myContactDismiss.path, member, async (c) => {
      enabledOrRefuse()
      const id = userid(c)
      // Dismissing after sharing changes nothing: the details stay until withdrawn.
      if ((await readDecision(db, id)) === null) await recordDecision(db, id, 'dismissed', now())
      return c.json(await view(c), 200, noStore)
    })
    // Withdrawal works with the setting off too: a member can always take their details back.
    .delete(endpoints.myContactWithdraw.path, member, async (c) => {
      await deleteContact(db, userid(c), now())
      log.info('contact details withdrawn', { userid: userid(c) })
      return c.json(await view(c), 200, noStore)
    })
}
