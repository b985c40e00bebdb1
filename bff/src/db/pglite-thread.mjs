// The thread PGlite runs on (pglite-client.ts starts it). Plain JavaScript, not TypeScript: Node loads a
// worker thread's file itself, the same way under tsx, vitest and the bundled server, with no
// transpiler in between. It only relays: each message is one call on PGlite, answered by `id`.
import { parentPort } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'

/** @type {PGlite | undefined} */
let pg
/** Open transactions: how to hand each one a call, taken in order by the transaction's own loop. */
const transactions = new Map()
let nextTx = 1
const ROLLBACK = Symbol('rollback')

parentPort.on('message', (m) => void handle(m))

async function handle(m) {
  try {
    if (m.tx !== undefined) {
      const push = transactions.get(m.tx)
      if (!push) throw new Error('the transaction has already ended')
      return push(m)
    }
    switch (m.op) {
      case 'open':
        pg = new PGlite({
          dataDir: m.dataDir,
          startParams: [...PGlite.defaultStartParams, ...m.startParams],
          ...(m.snapshot ? { loadDataDir: new Blob([m.snapshot]) } : {}),
        })
        await pg.waitReady
        return reply(m.id)
      case 'begin':
        return begin(m.id)
      case 'dump': {
        const archive = await (await db().dumpDataDir(m.compression)).arrayBuffer()
        return parentPort.postMessage({ id: m.id, ok: true, value: archive }, [archive])
      }
      case 'close':
        await db().close()
        return reply(m.id)
      default:
        return reply(m.id, await run(db(), m))
    }
  } catch (e) {
    fail(m.id, e)
  }
}

/** A query or exec, outside a transaction or inside one. */
async function run(q, m) {
  if (m.op === 'query') return (await q.query(m.sql, m.params)).rows
  if (m.op === 'exec') return void (await q.exec(m.sql))
  throw new Error(`unknown call ${m.op}`)
}

/** Opens a transaction that stays open until an `end` call for it arrives; answers `begin` with its id. */
function begin(beginId) {
  const id = nextTx++
  const waiting = []
  let wake
  transactions.set(id, (m) => {
    waiting.push(m)
    wake?.()
  })
  let endId
  db()
    .transaction(async (tx) => {
      reply(beginId, id)
      for (;;) {
        while (!waiting.length) await new Promise((r) => (wake = r))
        const m = waiting.shift()
        if (m.op === 'end') {
          endId = m.id
          if (!m.commit) throw ROLLBACK
          return
        }
        try {
          reply(m.id, await run(tx, m))
        } catch (e) {
          fail(m.id, e)
        }
      }
    })
    .then(
      () => reply(endId),
      (e) => (e === ROLLBACK ? reply(endId) : fail(endId ?? beginId, e)),
    )
    .finally(() => {
      transactions.delete(id)
      // Calls that came after the end (a caller's bug): answered, never left hanging.
      for (const m of waiting) fail(m.id, new Error('the transaction has already ended'))
    })
}

function db() {
  if (!pg) throw new Error('PGlite is not open')
  return pg
}

function reply(id, value) {
  parentPort.postMessage({ id, ok: true, value })
}

/** The error's own fields (SQLSTATE `code`, `detail`, `constraint` …) travel with its message. */
function fail(id, e) {
  const error = e instanceof Error ? { ...e, message: e.message, name: e.name } : { message: String(e), name: 'Error' }
  try {
    parentPort.postMessage({ id, ok: false, error })
  } catch {
    parentPort.postMessage({ id, ok: false, error: { message: error.message, name: error.name, code: error.code } })
  }
}
