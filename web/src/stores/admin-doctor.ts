import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { DoctorReport } from '@portal/shared'
import { runDoctor } from '../api/admin-setup'
import type { ApiRequestError } from '../api/http'
import type { LoadStatus } from './directory'
import { requestFailed } from '../lib/reauth'

/** The doctor's last report; a failed re-run keeps it and sets `error`. */
export const useAdminDoctorStore = defineStore('admin-doctor', () => {
  const report = shallowRef<DoctorReport | null>(null)
  const status = shallowRef<LoadStatus>('idle')
  const error = shallowRef<ApiRequestError | null>(null)
  /** Which run is under way: the checks, or the checks plus a test message. */
  const running = shallowRef<'checks' | 'message' | null>(null)

  /** Never throws. Returns whether a report came back. */
  async function run(testMessage = false): Promise<boolean> {
    if (running.value) return false
    running.value = testMessage ? 'message' : 'checks'
    status.value = report.value ? 'ready' : 'loading'
    error.value = null
    try {
      report.value = await runDoctor(testMessage ? { testMessage: true } : {})
      status.value = 'ready'
      return true
    } catch (e) {
      error.value = requestFailed(e)
      status.value = report.value ? 'ready' : 'error'
      return false
    } finally {
      running.value = null
    }
  }

  return { report, status, error, running, run }
})
