import type { Db } from '../db'
import { listTodos, type TodoPageKey, type TodoRecord } from './store'

/** A page of a member's list (the first, when cached here), its counts and where the next page starts. */
export type TodoListing = { items: TodoRecord[]; counts: { pending: number; done: number }; next: TodoPageKey | null }
type Which = 'pending' | 'done'

export interface TodoLists {
  /** A member's list (its first page) as `listTodos` gives it, from memory when nothing changed since. */
  list(assignee: string, which: Which): Promise<TodoListing>
  /** After a commit that wrote these members' todos (call it in `finally`: a failed commit may have committed). */
  changed(assignees: Iterable<string | undefined>): void
}

const CHANNEL = 'portal_todos'

/**
 * GET /api/todos is the H5's busiest read after /api/me. Each member's two lists are kept in
 * memory and dropped when a write commits: here at once, in other instances when the database's
 * change feed reaches them (PostgreSQL NOTIFY, milliseconds). Nothing is cached while the feed is
 * down, and `ttlMs` bounds what a lost notification could leave stale (a process that died
 * between its commit and its NOTIFY). A load that a change overtakes is answered but not kept.
 */
export function createTodoLists(d: { db: Db; now: () => number; ttlMs?: number; maxItems?: number }): TodoLists {
  const ttlMs = d.ttlMs ?? 60_000
  const maxItems = d.maxItems ?? 100_000
  const feed = d.db.changes
  const entries = new Map<string, { value: TodoListing; at: number; size: number }>()
  const loads = new Map<string, { promise: Promise<TodoListing>; stale: boolean }>()
  let held = 0

  const keyOf = (member: string, which: Which) => `${which}:${member}`
  const drop = (key: string) => {
    const e = entries.get(key)
    if (e) held -= e.size
    entries.delete(key)
    const load = loads.get(key)
    if (load) load.stale = true
    loads.delete(key)
  }
  const forget = (member: string) => {
    drop(keyOf(member, 'pending'))
    drop(keyOf(member, 'done'))
  }
  const forgetAll = () => {
    for (const load of loads.values()) load.stale = true
    loads.clear()
    entries.clear()
    held = 0
  }
  feed.subscribe(CHANNEL, { message: forget, gap: forgetAll })

  function keep(key: string, value: TodoListing) {
    const size = 1 + value.items.length
    entries.set(key, { value, at: d.now(), size })
    held += size
    // Least recently used first: Map order is insertion order, and a hit re-inserts.
    for (const [k, e] of entries) {
      if (held <= maxItems) break
      entries.delete(k)
      held -= e.size
    }
  }

  return {
    list(assignee, which) {
      if (!feed.live()) return listTodos(d.db, assignee, which)
      const key = keyOf(assignee.toLowerCase(), which)
      const hit = entries.get(key)
      if (hit && d.now() - hit.at < ttlMs) {
        entries.delete(key)
        entries.set(key, hit)
        return Promise.resolve(hit.value)
      }
      if (hit) drop(key)
      const running = loads.get(key)
      if (running) return running.promise
      const load = { stale: false, promise: listTodos(d.db, assignee, which) }
      loads.set(key, load)
      void load.promise.then(
        (value) => {
          if (loads.get(key) === load) loads.delete(key)
          if (!load.stale && feed.live()) keep(key, value)
        },
        () => loads.get(key) === load && loads.delete(key),
      )
      return load.promise
    },
    changed(assignees) {
      const members = new Set<string>()
      for (const a of assignees) if (a) members.add(a.toLowerCase())
      if (!members.size) return
      for (const m of members) forget(m)
      feed.publish(CHANNEL, members)
    },
  }
}
