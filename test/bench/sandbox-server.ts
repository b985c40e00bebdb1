import { serve } from '@hono/node-server'
import { createSandbox } from '@portal/bff/sandbox'

// A sandbox with a generated org, in its own process so it does not share a core with the sync.
const sandbox = createSandbox({
  trustedDomain: process.env.TRUSTED_DOMAIN ?? 'localhost:3000',
  org: { members: Number(process.env.MEMBERS ?? 100_000), departments: Number(process.env.DEPARTMENTS ?? 5_000), seed: 42 },
})
const server = serve({ fetch: sandbox.app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('ready'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
