import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { SyncPreview, SyncRun } from '@portal/shared'
import { confirmSync, fetchSyncPreview, fetchSyncRun, fetchSyncRuns, startSync } from '../api/admin-ops'
import type { ApiRequestError } from '../api/http'
import { requestFailed } from '../lib/reauth'
import { pendingHold } from '../lib/sync-run-view'
import type { LoadStatus } from './directory'

/** A running run is asked for its progress this often. */
export const SYNC_POLL_MS = 1000
/** After a failed poll, wait longer before asking again. */
export const SYNC_POLL_RETRY_MS = 3000

/** Sync control: the run history (newest first), the live progress of a run, starting and confirming runs. */
export const useAdminSyncStore = defineStore('admin-sync', () => {
  const runs = shallowRef<readonly SyncRun[]>([])
  const status = shallowRef<LoadStatus>('idle')
  const error = shallowRef<ApiRequestError | null>(null)
  /** A poll that failed; the run stays on screen and polling goes on. */
  const pollError = shallowRef<ApiRequestError | null>(null)
  const preview = shallowRef<SyncPreview | null>(null)
  const previewError = shallowRef<ApiRequestError | null>(null)

  const current = computed(() => runs.value.find((r) => r.status === 'running'))
  const held = computed(() => pendingHold(runs.value))
  const latest = computed(() => runs.value[0])

  /** Puts a run's newest state in the list (new runs go on top). */
  function upsert(run: SyncRun): void {
    const i = runs.value.findIndex((r) => r.id === run.id)
    runs.value = i < 0 ? [run, ...runs.value] : runs.value.map((r) => (r.id === run.id ? run : r))
  }

  // ---- polling -----------------------------------------------------------------------------
  let timer: ReturnType<typeof setTimeout> | undefined
  let polling = false

  function schedule(ms: number): void {
    clearTimeout(timer)
    timer = setTimeout(() => void pollOnce(), ms)
  }

  async function pollOnce(): Promise<void> {
    const run = current.value
    if (!polling || !run) return
    try {
      const next = await fetchSyncRun(run.id)
      if (!polling) return
      pollError.value = null
      upsert(next)
      if (next.status === 'running') return schedule(SYNC_POLL_MS)
      // Finished: a held run needs its preview; the history shows the final counts.
      if (next.status === 'held') void loadPreview(next.id)
    } catch (e) {
      if (!polling) return
      pollError.value = requestFailed(e)
      schedule(SYNC_POLL_RETRY_MS)
    }
  }

  /** Follows the running run, if any, until it finishes or `stopPolling`. */
  function startPolling(): void {
    polling = true
    if (current.value) schedule(SYNC_POLL_MS)
  }

  function stopPolling(): void {
    polling = false
    clearTimeout(timer)
    timer = undefined
  }

  // ---- loading -----------------------------------------------------------------------------
  async function load(): Promise<void> {
    if (!runs.value.length) status.value = 'loading'
    error.value = null
    try {
      runs.value = await fetchSyncRuns()
      status.value = 'ready'
      if (polling && current.value) schedule(SYNC_POLL_MS)
      if (held.value && preview.value?.runId !== held.value.id) void loadPreview(held.value.id)
    } catch (e) {
      error.value = requestFailed(e)
      status.value = runs.value.length ? 'ready' : 'error'
    }
  }

  async function loadPreview(id: number): Promise<void> {
    previewError.value = null
    try {
      preview.value = await fetchSyncPreview(id)
    } catch (e) {
      preview.value = null
      previewError.value = requestFailed(e)
    }
  }

  /**
   * Starts a run and follows it. Another run already going (409): the history is fetched again so
   * that one shows and is followed. Throws the request error for the page to explain.
   */
  async function start(kind: SyncRun['kind']): Promise<SyncRun> {
    try {
      const run = await startSync(kind)
      upsert(run)
      if (polling && run.status === 'running') schedule(SYNC_POLL_MS)
      return run
    } catch (e) {
      const err = requestFailed(e)
      if (err.code === 'conflict') await load()
      throw err
    }
  }

  /** Confirms a held run: a new run starts, allowed to disable as many as the held one reported. */
  async function confirm(id: number): Promise<SyncRun> {
    try {
      const run = await confirmSync(id)
      preview.value = null
      // The BFF marks the held run confirmed by the new one; the list shows it so without a reload.
      runs.value = runs.value.map((r) => (r.id === id && r.status === 'held' && r.hold ? { ...r, status: 'confirmed' as const, hold: { ...r.hold, confirmedBy: run.id } } : r))
      upsert(run)
      if (polling && run.status === 'running') schedule(SYNC_POLL_MS)
      return run
    } catch (e) {
      const err = requestFailed(e)
      if (err.code === 'conflict') await load()
      throw err
    }
  }

  return { runs, status, error, pollError, preview, previewError, current, held, latest, load, loadPreview, start, confirm, startPolling, stopPolling }
})
