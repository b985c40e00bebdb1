import type { z } from 'zod/mini'
import { appInfoSchema, loginOptionsSchema, meSchema } from './contract/session'

/**
 * The HTTP surface of the BFF. Paths marked `external` are relied on from outside (WeCom's
 * console, the host app, bookmarks) and must not change.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
  auth: 'public' | 'member' | 'admin' | 'host-key'
  /** Navigations (302s) have no JSON response. */
  response?: z.ZodMiniType
  external?: boolean
}

export const endpoints = {
  app: { method: 'GET', path: '/api/app', auth: 'public', response: appInfoSchema },
  me: { method: 'GET', path: '/api/me', auth: 'member', response: meSchema },
  loginOptions: { method: 'GET', path: '/api/auth/login-options', auth: 'public', response: loginOptionsSchema },
  logout: { method: 'POST', path: '/api/auth/logout', auth: 'public' },
  authLogin: { method: 'GET', path: '/auth/login', auth: 'public', external: true },
  authCallback: { method: 'GET', path: '/auth/callback', auth: 'public', external: true },
  health: { method: 'GET', path: '/healthz', auth: 'public' },
} as const satisfies Record<string, Endpoint>

export type EndpointName = keyof typeof endpoints
