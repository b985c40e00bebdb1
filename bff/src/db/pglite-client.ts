import { Worker } from 'node:worker_threads'
import { appFiles } from '../app-files'
import type { Tx } from './types'
import { DatabaseUnavailableError } from './unavailable'

type Call = { op: 'open'; dataDir?: string; startParams: string[]; snapshot?: ArrayBuffer } | { op: 'query'; sql: string; params?: unknown[]; tx?: number } | { op: 'exec'; sql: string; tx?: number } | { op: 'begin' } | { op: 'end'; tx: number; commit: boolean } | { op: 'dump'; compression: 'gzip' | 'none' } | { op: 'close' }
type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { message: string; name: string } & Record<string, unknown> }

export interface PgliteThread extends Tx {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  dump(compression: 'gzip' | 'none'): Promise<Blob>
  close(): Promise<void>
}

/**
 * PGlite on a thread of its own (pglite-thread.mjs). Its WebAssembly runs every statement
 * synchronously, so on the server's own thread a statement stopped everything else for as long
 * as it ran: a burst of callbacks waited behind the statements that applied the previous ones,
 * and a sync's writes behind its reads. On its own thread the statements use the second core
 * while this one answers requests; what crosses is each call's SQL, parameters and rows
 * (structured clone), and errors with their SQLSTATE fields.
 *
 * The thread keeps the process alive only while a call is waiting for it, as an in-process PGlite
 * did: a CLI ends when its work does, and a forgotten close does not hang a test run.
 */
export async function startPgliteThread(opts: { dataDir?: string; startParams: string[]; snapshot?: Blob }): Promise<PgliteThread> {
  // None of this process's node flags: the thread loads plain JavaScript, and some (--input-type) a worker refuses.
  const worker = new Worker(appFiles.pgliteThread, { execArgv: [] })
  worker.unref()
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  let nextId = 1
  let ended: Error | undefined

  // A thread that has ended (closed, or crashed) is a database out of reach: requests meet a 503, and /readyz says so.
  const settleAll = (cause: Error) => {
    const e = new DatabaseUnavailableError(cause)
    ended ??= e
    for (const w of waiting.values()) w.reject(e)
    waiting.clear()
    worker.unref()
  }
  /** Takes a call off the waiting list; with none left, the thread no longer keeps the process alive. */
  const forget = (id: number) => {
    waiting.delete(id)
    if (!waiting.size) worker.unref()
  }
  worker.on('message', (a: Answer) => {
    const w = waiting.get(a.id)
    if (!w) return
    forget(a.id)
    if (a.ok) w.resolve(a.value)
    else w.reject(Object.assign(new Error(a.error.message), a.error))
  })
  worker.on('error', (e) => settleAll(new Error(`PGlite's thread failed: ${e.message}`, { cause: e })))
  worker.on('exit', (code) => settleAll(new Error(`PGlite's thread has ended (exit code ${code})`)))

  function call<T>(c: Call, transfer: ArrayBuffer[] = []): Promise<T> {
    if (ended) return Promise.reject(ended)
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      if (!waiting.size) worker.ref()
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      try {
        worker.postMessage({ id, ...c }, transfer)
      } catch (e) {
        // A parameter that cannot be cloned (a function, say): this call fails, the thread goes on.
        forget(id)
        reject(e)
      }
    })
  }

  const snapshot = opts.snapshot ? await opts.snapshot.arrayBuffer() : undefined
  try {
    await call({ op: 'open', dataDir: opts.dataDir, startParams: opts.startParams, snapshot }, snapshot ? [snapshot] : [])
  } catch (e) {
    await worker.terminate()
    throw e
  }

  /** Queries outside any transaction (`tx` undefined) or inside the open one `tx`. */
  const statements = (tx?: number): Tx => ({
    query: <T extends object>(sql: string, params?: unknown[]) => call<T[]>({ op: 'query', sql, params, tx }),
    exec: (sql) => call<void>({ op: 'exec', sql, tx }),
  })

  return {
    ...statements(),
    async transaction(fn) {
      const tx = await call<number>({ op: 'begin' })
      let result
      try {
        result = await fn(statements(tx))
      } catch (e) {
        // PGlite rolls back; the caller's error is the one that matters.
        await call({ op: 'end', tx, commit: false }).catch(() => undefined)
        throw e
      }
      await call({ op: 'end', tx, commit: true })
      return result
    },
    async dump(compression) {
      return new Blob([await call<ArrayBuffer>({ op: 'dump', compression })])
    },
    async close() {
      if (ended) return
      try {
        await call({ op: 'close' })
      } finally {
        await worker.terminate()
      }
    },
  }
}
