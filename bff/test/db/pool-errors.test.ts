import { createServer, connect, type AddressInfo, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { openPostgres } from '../../src/db/postgres'
import { DatabaseUnavailableError } from '../../src/db/unavailable'
import { REQUIRE_ALL, TEST_DATABASE_URL } from '../helpers/test-db'

/** ErrorResponse FATAL 57P01: what PostgreSQL sends its backends when it is shut down. */
function adminShutdown(): Buffer {
  const field = (code: string, value: string) => Buffer.from(`${code}${value}\0`)
  const body = Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', '57P01'), field('M', 'terminating connection due to administrator command'), Buffer.from([0])])
  const head = Buffer.alloc(5)
  head.write('E', 0)
  head.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

/**
 * A TCP proxy to PostgreSQL that, once armed, sends the shutdown error in the same chunk as the
 * next ReadyForQuery: the driver then reads both in one go, as when the server goes down right
 * after answering.
 */
async function shutdownProxy(target: URL) {
  let armed = false
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname)
    sockets.add(client).add(upstream)
    client.on('data', (d) => upstream.write(d))
    upstream.on('data', (d) => {
      const endsReady = d.length >= 6 && d[d.length - 6] === 0x5a // 'Z', 5, status
      if (armed && endsReady) {
        armed = false
        client.write(Buffer.concat([d, adminShutdown()]))
      } else client.write(d)
    })
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    for (const s of [client, upstream]) s.on('error', end).on('close', end)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    arm: () => void (armed = true),
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise<void>((r) => server.close(() => r()))
    },
  }
}

if (!TEST_DATABASE_URL && !REQUIRE_ALL) console.warn('\n  !!! SKIPPED: "pool connection errors [PostgreSQL]" — set TEST_DATABASE_URL to run it.\n')

describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('pool connection errors [PostgreSQL]', () => {
  // Found by CI: the app died of an unhandled 'error' while PostgreSQL restarted under load.
  it('a connection handed to a waiting transaction as the server ends it does not end the process', async () => {
    const target = new URL(TEST_DATABASE_URL!)
    const proxy = await shutdownProxy(target)
    const via = new URL(target)
    via.hostname = '127.0.0.1'
    via.port = String(proxy.port)
    const db = await openPostgres(via.toString(), { poolMax: 1 })
    try {
      proxy.arm()
      // One connection: the read holds it, the transaction waits for it. pg-pool hands it over
      // when the read's answer is parsed, before the transaction's code can listen on it, and the
      // error arrives in that same chunk. Without a listener of its own the connection throws.
      const read = db.query<{ one: number }>('select 1 as one')
      const tx = db.transaction((t) => t.query<{ two: number }>('select 2 as two'))
      expect(await read).toEqual([{ one: 1 }])
      // The transaction meets a connection the server ended: 503-able, as any outage.
      await expect(tx).rejects.toBeInstanceOf(DatabaseUnavailableError)
      // That connection left the pool; the next query gets a new one.
      expect(await db.query('select 3 as three')).toEqual([{ three: 3 }])
    } finally {
      await db.close()
      await proxy.close()
    }
  })
})
