import { z } from 'zod/mini'

/**
 * Contact details a member shared with the app on WeCom's consent page (snsapi_privateinfo,
 * auth/getuserdetail): apps created after 2022-06-20 get none of these from the directory.
 */
export const consentedContactSchema = z.object({
  mobile: z.optional(z.string()),
  email: z.optional(z.string()),
  bizMail: z.optional(z.string()),
  avatar: z.optional(z.string()),
  gender: z.optional(z.enum(['male', 'female'])),
  address: z.optional(z.string()),
  consentedAt: z.string(),
})
export type ConsentedContact = z.infer<typeof consentedContactSchema>

/**
 * GET /api/me/contact. `prompt`: show the one-time "补充联系方式" offer (the setting is on and the
 * member has neither shared, dismissed, declined nor withdrawn). `contact`: what they shared.
 */
export const myContactSchema = z.object({
  enabled: z.boolean(),
  prompt: z.boolean(),
  contact: z.nullable(consentedContactSchema),
})
export type MyContact = z.infer<typeof myContactSchema>

/** POST /api/me/contact/consent {returnTo}: where the browser goes to give its consent. */
export const contactConsentStartSchema = z.object({ url: z.string() })
export type ContactConsentStart = z.infer<typeof contactConsentStartSchema>

/** What the sign-in adds to returnTo when it comes back (`?contact=`). */
export const contactOutcomes = ['saved', 'declined', 'failed'] as const
export type ContactOutcome = (typeof contactOutcomes)[number]
