import {
  callbackCredentialsSchema,
  doctorReportSchema,
  adminEndpoints,
  settingsViewSchema,
  setupValuesSchema,
  verifyFileListSchema,
  verifyFileSchema,
  type CallbackCredentials,
  type DoctorReport,
  type SettingsUpdate,
  type SettingsView,
  type SetupValues,
  type VerifyFile,
} from '@portal/shared'
import { requestJson, requestVoid } from './http'
import { fillPath } from './paths'

function jsonBody(method: 'POST' | 'PUT', body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

/** The values to paste into WeCom's admin console. */
export function fetchSetup(): Promise<SetupValues> {
  return requestJson(adminEndpoints.adminSetup.path, setupValuesSchema)
}

/** A fresh Token / EncodingAESKey pair, stored by the BFF; the only time it is seen in full. */
export function createCallbackCredentials(): Promise<CallbackCredentials> {
  return requestJson(adminEndpoints.adminCallbackCredentials.path, callbackCredentialsSchema, { method: 'POST' })
}

export async function fetchVerifyFiles(): Promise<VerifyFile[]> {
  return (await requestJson(adminEndpoints.adminVerifyFiles.path, verifyFileListSchema)).items
}

/** The file's name and text as chosen in the browser; the BFF checks the name (400 `bad_request`). */
export function uploadVerifyFile(file: { name: string; content: string }): Promise<VerifyFile> {
  return requestJson(adminEndpoints.adminUploadVerifyFile.path, verifyFileSchema, jsonBody('POST', file))
}

export function deleteVerifyFile(name: string): Promise<void> {
  return requestVoid(fillPath(adminEndpoints.adminDeleteVerifyFile.path, { name }), { method: 'DELETE' })
}

export function fetchSettings(): Promise<SettingsView> {
  return requestJson(adminEndpoints.adminSettings.path, settingsViewSchema)
}

/** Only the keys sent change (`null` clears); a 400 carries `fields` (key → message). */
export function saveSettings(update: SettingsUpdate): Promise<SettingsView> {
  return requestJson(adminEndpoints.adminSaveSettings.path, settingsViewSchema, jsonBody('PUT', update))
}

/** Runs every check; `testMessage` also sends the signed-in admin a message. */
export function runDoctor(options: { testMessage?: boolean } = {}): Promise<DoctorReport> {
  return requestJson(adminEndpoints.adminDoctor.path, doctorReportSchema, jsonBody('POST', options))
}
