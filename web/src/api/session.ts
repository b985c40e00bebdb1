import { endpoints, meSchema, type Me } from '@portal/shared'
import { requestJson, requestVoid } from './http'

export function fetchMe(): Promise<Me> {
  return requestJson(endpoints.me.path, meSchema)
}

export function logout(): Promise<void> {
  return requestVoid(endpoints.logout.path, { method: 'POST' })
}
