import { describe, expect, it } from 'vitest'
import {
  createCallbackCredentials,
  deleteVerifyFile,
  fetchSettings,
  fetchSetup,
  fetchVerifyFiles,
  runDoctor,
  saveSettings,
  uploadVerifyFile,
} from '../src/api/admin-setup'
import { jsonResponse } from './fixtures'
import { doctorReport, settingsView, setupValues, verifyFile } from './admin-setup-fixtures'
import { caught, useApiEnv } from './api-env'

const fetchMock = useApiEnv()

const call = (i: number) => ({ url: String(fetchMock.mock.calls[i]![0]), init: fetchMock.mock.calls[i]![1] ?? {} })

describe('admin setup api: bad answers are errors, never data', () => {
  it('rejects setup values without the homepage URL, and a secret field whose source is unknown', async () => {
    const { homepageUrl: _dropped, ...partial } = setupValues()
    fetchMock.mockResolvedValueOnce(jsonResponse(200, partial))
    expect((await caught(fetchSetup())).code).toBe('invalid_response')
    const view = settingsView()
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ...view, fields: [{ ...view.fields[0], source: 'database' }] }))
    expect((await caught(fetchSettings())).code).toBe('invalid_response')
  })

  it('rejects a doctor report with an unknown status or a check without both languages', async () => {
    const report = doctorReport()
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ...report, checks: [{ ...report.checks[0], status: 'error' }] }))
    expect((await caught(runDoctor())).code).toBe('invalid_response')
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ...report, checks: [{ ...report.checks[0], summary: { zh: '正常' } }] }))
    expect((await caught(runDoctor())).code).toBe('invalid_response')
  })

  it('keeps the per-field messages of a 400 so the form can show them under each field', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(400, {
        error: { code: 'bad_request', message: '企业微信拒绝了这些设置', fields: { secret: 'Secret 不正确（40001）', agentId: 'AgentId 不存在' } },
      }),
    )
    const e = await caught(saveSettings({ secret: 'x', agentId: '1' }))
    expect(e).toMatchObject({ status: 400, code: 'bad_request', fields: { secret: 'Secret 不正确（40001）', agentId: 'AgentId 不存在' } })
  })

  it('a verify-file upload the BFF refuses is an error carrying its message', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(400, { error: { code: 'bad_request', message: 'bad name', fields: { name: '文件名不对' } } }))
    const e = await caught(uploadVerifyFile({ name: 'verify.txt', content: 'x' }))
    expect(e.fields).toEqual({ name: '文件名不对' })
  })
})

describe('admin setup api: requests', () => {
  it('GETs setup values, verify files and settings from their endpoints', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, setupValues()))
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: [verifyFile()] }))
    fetchMock.mockResolvedValueOnce(jsonResponse(200, settingsView()))
    expect((await fetchSetup()).trustedDomain).toBe('portal.example.com')
    expect(await fetchVerifyFiles()).toEqual([verifyFile()])
    expect((await fetchSettings()).fields).toHaveLength(13)
    expect([0, 1, 2].map((i) => call(i).url)).toEqual(['/api/admin/setup', '/api/admin/verify-files', '/api/admin/settings'])
  })

  it('uploads the file as JSON {name, content} and deletes by the encoded name', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, verifyFile()))
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }))
    await uploadVerifyFile({ name: 'WW_verify_Ab3dE5fG7hJ9kL1m.txt', content: 'Ab3dE5fG7hJ9kL1m' })
    await deleteVerifyFile('WW_verify_a b.txt')
    expect(call(0).init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } })
    expect(JSON.parse(String(call(0).init.body))).toEqual({ name: 'WW_verify_Ab3dE5fG7hJ9kL1m.txt', content: 'Ab3dE5fG7hJ9kL1m' })
    expect(call(1)).toMatchObject({ url: '/api/admin/verify-files/WW_verify_a%20b.txt', init: { method: 'DELETE' } })
  })

  it('PUTs only the given settings (null clears), POSTs the doctor and credentials', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, settingsView()))
    fetchMock.mockResolvedValueOnce(jsonResponse(200, doctorReport()))
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { token: 'tok', encodingAesKey: 'k'.repeat(43) }))
    await saveSettings({ agentId: '1000003', contactSecret: null })
    await runDoctor({ testMessage: true })
    expect(await createCallbackCredentials()).toEqual({ token: 'tok', encodingAesKey: 'k'.repeat(43) })
    expect(call(0)).toMatchObject({ url: '/api/admin/settings', init: { method: 'PUT' } })
    expect(JSON.parse(String(call(0).init.body))).toEqual({ agentId: '1000003', contactSecret: null })
    expect(call(1)).toMatchObject({ url: '/api/admin/doctor', init: { method: 'POST' } })
    expect(JSON.parse(String(call(1).init.body))).toEqual({ testMessage: true })
    expect(call(2)).toMatchObject({ url: '/api/admin/setup/callback-credentials', init: { method: 'POST' } })
  })

  it('follows the PUBLIC_URL prefix', async () => {
    window.__PORTAL_BASE__ = '/portal/'
    fetchMock.mockResolvedValueOnce(jsonResponse(200, doctorReport()))
    await runDoctor()
    expect(call(0).url).toBe('/portal/api/admin/doctor')
    expect(JSON.parse(String(call(0).init.body))).toEqual({})
  })
})
