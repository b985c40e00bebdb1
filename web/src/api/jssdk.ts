import { endpoints, jssdkSignaturesSchema, type JssdkSignatures } from '@portal/shared'
import { requestJson } from './http'

/** Both JS-SDK signatures for one page URL, exactly as the SDK passed it (the BFF drops any `#…`). */
export function fetchJssdkSignatures(url: string): Promise<JssdkSignatures> {
  return requestJson(`${endpoints.jssdkSignatures.path}?url=${encodeURIComponent(url)}`, jssdkSignaturesSchema)
}
