import { appInfoSchema, endpoints, type AppInfo } from '@portal/shared'
import { requestJson } from './http'

export function fetchAppInfo(): Promise<AppInfo> {
  return requestJson(endpoints.app.path, appInfoSchema)
}
