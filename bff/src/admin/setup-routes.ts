import { randomInt } from 'node:crypto'
import { adminEndpoints, safeReturnTo, verifyFileUploadSchema, type CallbackCredentials, type VerifyFile } from '@portal/shared'
import { Hono } from 'hono'
import { requestLang } from './request-lang'
import type { AppEnv } from '../app-env'
import type { Config } from '../config'
import type { Db } from '../db'
import type { HealthMarks } from './marks'
import type { SettingsService } from './settings/service'
import { ApiFailure } from '../errors'
import { parseBody } from '../http/parse-body'
import { setupValues } from './setup-values'
import { deleteVerifyFile, listVerifyFiles, saveVerifyFile, verifyFileProblems } from './verify-file-store'

export interface SetupRoutesNeeds {
  config: Config
  db: Db
  now: () => number
  marks: Pick<HealthMarks, 'read'>
  settings: Pick<SettingsService, 'save' | 'get'>
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Uniform over [A-Za-z0-9] from the CSPRNG (randomInt has no modulo bias). */
export function randomAlnum(length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)]
  return s
}

/**
 * The guided setup (mounted behind requireMember + requireRole('admin')): the values for WeCom's
 * console, a fresh callback Token/EncodingAESKey, and the WW_verify_*.txt files.
 */
export function setupRoutes(deps: SetupRoutesNeeds) {
  const { config, db } = deps
  return new Hono<AppEnv>()
    .get(adminEndpoints.adminSetup.path, async (c) => {
      // Optional deep link: the 应用主页 value that opens the app at that page.
      const path = c.req.query('path')
      const marks = await deps.marks.read()
      return c.json(setupValues(deps, marks, path ? safeReturnTo(path) : undefined), 200, { 'Cache-Control': 'no-store' })
    })

    .post(adminEndpoints.adminCallbackCredentials.path, async (c) => {
      // 接收消息 → 设置API接收: any Token; the EncodingAESKey is 43 of [A-Za-z0-9] (https://developer.work.weixin.qq.com/document/path/90930).
      const creds: CallbackCredentials = { token: randomAlnum(32), encodingAesKey: randomAlnum(43) }
      // The settings service validates, encrypts, audits and applies (and refuses env-locked keys).
      await deps.settings.save({ callbackToken: creds.token, callbackAesKey: creds.encodingAesKey }, c.get('member').userid, requestLang(c))
      // The only time they are shown in full.
      return c.json(creds, 200, { 'Cache-Control': 'no-store' })
    })

    .get(adminEndpoints.adminVerifyFiles.path, async (c) => c.json({ items: await listVerifyFiles(db, config) }, 200, { 'Cache-Control': 'no-store' }))

    .post(adminEndpoints.adminUploadVerifyFile.path, async (c) => {
      const { name, content } = await parseBody(c, verifyFileUploadSchema)
      const fields = verifyFileProblems(name, content)
      if (Object.keys(fields).length) throw new ApiFailure('bad_request', `Invalid ${Object.keys(fields).join(', ')}.`, { fields })
      if (config.verifyFiles.some((f) => f.name === name)) {
        throw new ApiFailure('conflict', `${name} comes from WECOM_VERIFY_FILES.`, { hint: 'Change or remove it there; the file set in the environment wins.' })
      }
      const saved: VerifyFile = await saveVerifyFile(db, { name, content, actor: c.get('member').userid, at: new Date(deps.now()) })
      return c.json(saved, 201)
    })

    .delete(adminEndpoints.adminDeleteVerifyFile.path, async (c) => {
      const name = c.req.param('name')
      if (config.verifyFiles.some((f) => f.name === name)) {
        throw new ApiFailure('bad_request', `${name} comes from WECOM_VERIFY_FILES and cannot be deleted here.`, { hint: 'Remove it from WECOM_VERIFY_FILES and restart.' })
      }
      if (!(await deleteVerifyFile(db, { name, actor: c.get('member').userid, at: new Date(deps.now()) }))) {
        throw new ApiFailure('not_found', `No stored verify file ${name}.`)
      }
      return c.body(null, 204)
    })
}
