import { contactConsentStartSchema, endpoints, myContactSchema, type MyContact } from '@portal/shared'
import { requestJson } from './http'

export function fetchMyContact(): Promise<MyContact> {
  return requestJson(endpoints.myContact.path, myContactSchema)
}

/** Where to send the browser for WeCom's consent page; it comes back to `returnTo` with `?contact=`. */
export async function startContactConsent(returnTo: string): Promise<string> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ returnTo }) }
  return (await requestJson(endpoints.myContactConsent.path, contactConsentStartSchema, init)).url
}

export function dismissContactPrompt(): Promise<MyContact> {
  return requestJson(endpoints.myContactDismiss.path, myContactSchema, { method: 'POST' })
}

export function withdrawContact(): Promise<MyContact> {
  return requestJson(endpoints.myContactWithdraw.path, myContactSchema, { method: 'DELETE' })
}
