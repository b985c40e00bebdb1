import { serve } from '@hono/node-server'
import { Hono } from 'hono'

// The baseline every BFF figure is divided by: Hono hello-world on the same machine, same run.
const app = new Hono().get('/', (c) => c.json({ hello: 'world' }))
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('ready'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
