import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { CallbackCredentials, SetupValues, VerifyFile } from '@portal/shared'
import { createCallbackCredentials, deleteVerifyFile, fetchSetup, fetchVerifyFiles, uploadVerifyFile } from '../api/admin-setup'
import type { ApiRequestError } from '../api/http'
import { requestFailed } from '../lib/reauth'
import type { LoadStatus } from './directory'

/** The setup guide: values for WeCom's console and the domain verification files. */
export const useAdminSetupStore = defineStore('admin-setup', () => {
  const values = shallowRef<SetupValues | null>(null)
  const status = shallowRef<LoadStatus>('idle')
  const error = shallowRef<ApiRequestError | null>(null)
  const files = shallowRef<readonly VerifyFile[]>([])
  const filesStatus = shallowRef<LoadStatus>('idle')
  const filesError = shallowRef<ApiRequestError | null>(null)

  /** Never throws; the page shows `error` with a retry. */
  async function load(): Promise<void> {
    status.value = values.value ? 'ready' : 'loading'
    error.value = null
    try {
      values.value = await fetchSetup()
      status.value = 'ready'
    } catch (e) {
      error.value = requestFailed(e)
      status.value = values.value ? 'ready' : 'error'
    }
  }

  async function loadFiles(): Promise<void> {
    filesStatus.value = 'loading'
    filesError.value = null
    try {
      files.value = await fetchVerifyFiles()
      filesStatus.value = 'ready'
    } catch (e) {
      filesError.value = requestFailed(e)
      filesStatus.value = 'error'
    }
  }

  /** Throws ApiRequestError (400 `bad_request` for a name WeCom would not have issued). */
  async function upload(file: { name: string; content: string }): Promise<VerifyFile> {
    try {
      const saved = await uploadVerifyFile(file)
      files.value = [...files.value.filter((f) => f.name !== saved.name), saved]
      return saved
    } catch (e) {
      throw requestFailed(e)
    }
  }

  async function remove(name: string): Promise<void> {
    try {
      await deleteVerifyFile(name)
      files.value = files.value.filter((f) => f.name !== name)
    } catch (e) {
      throw requestFailed(e)
    }
  }

  /**
   * A new pair, already stored by the BFF. Returned, not kept: the page shows it once and it is
   * gone when the admin leaves.
   */
  async function generateCallbackCredentials(): Promise<CallbackCredentials> {
    try {
      const pair = await createCallbackCredentials()
      if (values.value) values.value = { ...values.value, callbackTokenSet: true, callbackAesKeySet: true }
      return pair
    } catch (e) {
      throw requestFailed(e)
    }
  }

  return { values, status, error, files, filesStatus, filesError, load, loadFiles, upload, remove, generateCallbackCredentials }
})
