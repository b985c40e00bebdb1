import { existsSync, readFileSync } from 'node:fs'

/**
 * O2OA's `qiyeweixin.json`, accepted as is so that admins moving from O2OA can reuse it.
 * Only the fields that mean something here are read; `enable: false` means "not configured".
 */
export interface O2oaFile {
  enable?: boolean
  syncCron?: string
  forceSyncCron?: string
  apiAddress?: string
  corpId?: string
  corpSecret?: string
  agentId?: string | number
  token?: string
  encodingAesKey?: string
  messageEnable?: boolean
}

export function readO2oaFile(path: string, required: boolean): { file?: O2oaFile; problem?: string } {
  if (!existsSync(path)) return required ? { problem: `WECOM_CONFIG_FILE: no file at ${path}` } : {}
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    return { problem: `WECOM_CONFIG_FILE: ${path} is not valid JSON (${(e as Error).message})` }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: `WECOM_CONFIG_FILE: ${path} must hold a JSON object` }
  }
  const file = parsed as O2oaFile
  return file.enable === false ? {} : { file }
}
