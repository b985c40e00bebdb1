import { z } from 'zod/mini'

/**
 * What `ww.register`'s getConfigSignature / getAgentConfigSignature return (ww.register: https://developer.work.weixin.qq.com/document/path/96947):
 * `timestamp` in seconds and `nonceStr` exactly as they went into the sha1, lowercase hex.
 */
export const jsapiSignatureSchema = z.object({
  timestamp: z.int(),
  nonceStr: z.string(),
  signature: z.string(),
})
export type JsapiSignature = z.infer<typeof jsapiSignatureSchema>

/**
 * GET /api/jssdk/signatures?url= — both signatures for one page URL: `config` with the corp
 * jsapi_ticket (wx.config), `agentConfig` with the app's ticket (wx.agentConfig). The tickets
 * themselves never leave the BFF.
 */
export const jssdkSignaturesSchema = z.object({
  corpId: z.string(),
  agentId: z.string(),
  config: jsapiSignatureSchema,
  agentConfig: jsapiSignatureSchema,
})
export type JssdkSignatures = z.infer<typeof jssdkSignaturesSchema>
