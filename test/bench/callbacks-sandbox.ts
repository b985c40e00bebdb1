import { serve } from '@hono/node-server'
import { createSandbox, SANDBOX_CALLBACK } from '@portal/bff/sandbox'

// The callbacks bench's WeCom: a generated org whose change_contact events go to CALLBACK_URL
// (the bench's collector), in its own process so its work does not share the app's event loop.
const sandbox = createSandbox({
  trustedDomain: process.env.TRUSTED_DOMAIN ?? 'localhost:3000',
  org: { members: Number(process.env.MEMBERS ?? 2_000), departments: Number(process.env.DEPARTMENTS ?? 100), seed: 42 },
  callback: { url: process.env.CALLBACK_URL!, ...SANDBOX_CALLBACK },
})
const server = serve({ fetch: sandbox.app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('ready'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
