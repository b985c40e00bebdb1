import { z } from 'zod'

/** 接收消息 settings as the admin console validates them (https://developer.work.weixin.qq.com/document/path/90930). */
export const callbackConfigSchema = z.strictObject({
  url: z.string().url().refine((u) => /^https?:\/\//i.test(u), 'url must be http(s)'),
  token: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'token: 1–32 letters or digits'),
  encodingAesKey: z.string().regex(/^[A-Za-z0-9]{43}$/, 'encodingAesKey: 43 letters or digits'),
})

/** POST /sandbox/admin/callbacks/verify-url: checks another config than the saved one if given. */
export const verifyUrlSchema = callbackConfigSchema.partial()

/**
 * POST /sandbox/admin/callbacks/raw: one request to the callback URL, built like WeCom's and then
 * spoiled as asked. Fields left out are filled in correctly, so a test changes one thing at a time.
 */
export const rawCallbackSchema = z
  .strictObject({
    /** POST (message) by default; GET = a URL-verification request carrying `echostr`. */
    method: z.enum(['POST', 'GET']).optional(),
    /** Message to encrypt with the configured key (and `receiveId`). */
    plaintext: z.string().optional(),
    /** Used verbatim as <Encrypt> / echostr instead of encrypting `plaintext`. */
    encrypt: z.string().optional(),
    /** Default the corp id; another value tests the receiver's receiveid check. */
    receiveId: z.string().optional(),
    /** Replaces the whole POST body (malformed XML …). */
    body: z.string().optional(),
    msg_signature: z.string().optional(),
    timestamp: z.string().optional(),
    nonce: z.string().optional(),
    /** Extra query parameters (or overrides); an empty string removes one. */
    query: z.record(z.string(), z.string()).optional(),
  })
  .refine((r) => r.plaintext !== undefined || r.encrypt !== undefined || r.body !== undefined, 'give plaintext, encrypt or body')

export type CallbackConfigInput = z.infer<typeof callbackConfigSchema>
export type RawCallbackRequest = z.infer<typeof rawCallbackSchema>
export type VerifyUrlRequest = z.infer<typeof verifyUrlSchema>
