import { serve } from '@hono/node-server'
import { createSandbox, SANDBOX_CALLBACK } from '@portal/bff/sandbox'

// A sandbox with a generated org, in its own process so its work does not share a core (or an
// event loop) with the app's. With CALLBACK_URL, every change made to the org is delivered there
// as WeCom's change_contact callback, sealed with the sandbox's Token and EncodingAESKey.
const sandbox = createSandbox({
  trustedDomain: process.env.TRUSTED_DOMAIN ?? 'localhost:3000',
  org: { members: Number(process.env.MEMBERS ?? 100_000), departments: Number(process.env.DEPARTMENTS ?? 5_000), seed: 42 },
  ...(process.env.CALLBACK_URL ? { callback: { url: process.env.CALLBACK_URL, ...SANDBOX_CALLBACK } } : {}),
})
const server = serve({ fetch: sandbox.app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('ready'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
