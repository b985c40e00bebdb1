// The WeCom server API client: plain (no Hono, routes or db); fetch and clock are injected.
export { WeComError, WeComTransportError, isTransient, TOKEN_ERRCODES, type TransportFailure } from './errors'
export { createTokenCache, type TokenCache, type TokenCacheOptions, type FetchedToken } from './token-cache'
export { createWeComClient } from './client'
export { WECOM_CONNECTIONS } from './pool'
export { redactUrl } from './redact'
export { createJsapiTickets, type JsapiTickets, type JsapiTicketsOptions, type TicketKind } from './jsapi-tickets'
export { jsapiSignature, signUrl, signableUrl, newNonce, type JsapiSignature } from './jsapi-signature'
export type { StoredTicket, TicketClaim, TicketStore } from './ticket-store'
export type {
  WeComClient,
  WeComCall,
  WeComClientOptions,
  WeComDepartment,
  WeComExtAttr,
  WeComIdentity,
  WeComLogger,
  WeComQuery,
  WeComUser,
  WeComUserDetail,
} from './types'
