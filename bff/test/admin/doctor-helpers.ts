import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DoctorCheck, DoctorReport } from '@portal/shared'
import { Hono } from 'hono'
import { doctorContext } from '../../src/admin/doctor/context'
import { runDoctor } from '../../src/admin/doctor/run-doctor'
import type { DoctorContext } from '../../src/admin/doctor/types'
import { createHealthMarks } from '../../src/admin/marks'
import { verifyFileServing } from '../../src/admin/verify-files'
import { loadConfig, type Config } from '../../src/config'
import type { Db } from '../../src/db'
import { createLogger } from '../../src/log'
import { testSettings } from '../helpers/settings'
import { createSandbox, SANDBOX_DEFAULTS, TEST_IP_HEADER, type SandboxOptions } from '../../src/sandbox'

export const PUBLIC_URL = 'https://portal.example.com'
export const SANDBOX_BASE = 'http://wecom-sandbox.test'
/** The address WeCom (the sandbox) sees our calls come from. */
export const EGRESS_IP = '203.0.113.7'

export function doctorConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig(
    {
      WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId,
      WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId,
      WECOM_SECRET: SANDBOX_DEFAULTS.secret,
      WECOM_API_BASE: SANDBOX_BASE,
      PUBLIC_URL,
      SESSION_SECRET: 'doctor-test-session-secret-0123456789abcdef',
      ...env,
    },
    mkdtempSync(join(tmpdir(), 'doctor-')),
  )
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
  return loaded.config
}

/**
 * The doctor against an in-process sandbox (its real HTTP surface through app.request, the
 * caller's IP set as WeCom would see it), optionally with a database, and our own public
 * origin answering with the real verify-file routes.
 */
export function doctorSetup(opts: { env?: Record<string, string>; sandbox?: Partial<SandboxOptions>; db?: Db; testMessageTo?: string } = {}) {
  const sandbox = createSandbox({ trustedDomain: new URL(PUBLIC_URL).host, ipAllowlist: [EGRESS_IP], ...opts.sandbox })
  const config = doctorConfig(opts.env)
  const settings = testSettings(config)
  const lines: string[] = []
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l) })
  const marks = opts.db ? createHealthMarks({ db: opts.db, now: Date.now, log }) : undefined
  const wecomFetch: typeof fetch = async (url, init) => {
    const headers = new Headers(init?.headers)
    headers.set(TEST_IP_HEADER, EGRESS_IP)
    return sandbox.app.request(String(url), { ...init, headers })
  }
  const site = opts.db ? new Hono().route('/', verifyFileServing({ db: opts.db, config, now: Date.now })) : new Hono()
  const ctx: DoctorContext = {
    ...doctorContext({ config, settings, db: opts.db, marks, log, now: Date.now }, { testMessageTo: opts.testMessageTo, wecomFetch }),
    // Our own public origin, answering with the real verify-file routes.
    fetch: async (url, init) => site.request(String(url), init),
  }
  const admin = async (path: string, body: unknown) => {
    const res = await sandbox.app.request(`/sandbox/admin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`sandbox admin ${path}: ${res.status} ${await res.text()}`)
  }
  return { sandbox, config, settings, ctx, marks, lines, admin }
}

export async function doctor(ctx: DoctorContext, opts: { testMessage?: boolean } = {}): Promise<DoctorReport & { check(id: DoctorCheck['id']): DoctorCheck }> {
  const report = await runDoctor(ctx, opts)
  return { ...report, check: (id) => report.checks.find((c) => c.id === id)! }
}

/** Both languages of a check's summary and fix, for matching words in either. */
export const text = (c: DoctorCheck) => [c.summary.zh, c.summary.en, c.fix?.zh ?? '', c.fix?.en ?? ''].join('\n')
