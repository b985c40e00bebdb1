import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '@portal/bff/app'
import { createCallbacks, type CallbackWorkerOptions } from '@portal/bff/callbacks'
import { loadConfig, type Config } from '@portal/bff/config'
import { createDeps, type Deps } from '@portal/bff/deps'
import { DirectoryReadModel } from '@portal/bff/directory/read-model'
import { createLogger } from '@portal/bff/log'
import { createSandbox, SANDBOX_CALLBACK, SANDBOX_DEFAULTS, type Sandbox, type SandboxOptions } from '@portal/bff/sandbox'
import { pgliteTestDb } from '@portal/bff/testing/db'
import type { Db } from '@portal/bff/db'
import { listenLate } from './listen'

export const SESSION_SECRET = 'flow-test-session-secret-0123456789abcdef'

export interface Stack {
  appUrl: string
  sandboxUrl: string
  sandbox: Sandbox
  deps: Deps
  config: Config
  /** Every line the BFF logged. */
  logs: string[]
  close(): Promise<void>
}

/**
 * The sandbox and the BFF on real loopback ports, wired as a real corp would be (the BFF in
 * `wecom` mode pointed at the sandbox), with a fresh database.
 */
export async function startStack(
  opts: { env?: Record<string, string>; sandbox?: Partial<SandboxOptions>; prefix?: string; db?: Db; callbackWorker?: Omit<CallbackWorkerOptions, 'db' | 'log' | 'dispatcher'>; directoryLookMs?: number } = {},
): Promise<Stack> {
  const [sb, app] = await Promise.all([listenLate(), listenLate()])
  const sandbox = createSandbox({
    trustedDomain: `localhost:${app.port}`,
    appUrl: app.url,
    callback: { url: `${app.url}${opts.prefix ?? ''}/wecom/callback`, ...SANDBOX_CALLBACK },
    callbackRetryDelaysMs: [50, 100],
    ...opts.sandbox,
  })
  sb.setHandler(sandbox.app.fetch)
  // The stack's working dir (DATA_DIR's default, verify files): removed on close.
  const workDir = mkdtempSync(join(tmpdir(), 'stack-'))
  const loaded = loadConfig(
    {
      PUBLIC_URL: app.url + (opts.prefix ?? ''),
      PORT: String(app.port),
      WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId,
      WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId,
      WECOM_SECRET: SANDBOX_DEFAULTS.secret,
      WECOM_API_BASE: sb.url,
      WECOM_OAUTH_BASE: sb.url,
      WECOM_LOGIN_BASE: sb.url,
      SESSION_SECRET,
      ADMIN_USERIDS: 'zhangsan',
      WECOM_CALLBACK_TOKEN: SANDBOX_CALLBACK.token,
      WECOM_CALLBACK_AES_KEY: SANDBOX_CALLBACK.encodingAesKey,
      ...opts.env,
    },
    workDir,
  )
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
  const logs: string[] = []
  const db = opts.db ?? (await pgliteTestDb())
  const log = createLogger({ level: 'debug', write: (l) => logs.push(l) })
  // `callbackWorker`: the worker's timing (backoff) made short enough for a test.
  const callbacks = opts.callbackWorker ? createCallbacks({ db, log }, { worker: opts.callbackWorker }) : undefined
  // `directoryLookMs`: how often the directory read model looks for writes made elsewhere (2 s).
  const readModel = opts.directoryLookMs ? new DirectoryReadModel(db, Date.now, opts.directoryLookMs) : undefined
  const deps = await createDeps(loaded.config, { db, log, ...(callbacks ? { callbacks } : {}), ...(readModel ? { readModel } : {}) })
  app.setHandler(createApp(deps).fetch)
  return {
    appUrl: app.url + (opts.prefix ?? ''),
    sandboxUrl: sb.url,
    sandbox,
    deps,
    config: loaded.config,
    logs,
    /** As the server shuts down (bff/src/index.ts): polls and workers first, the db last. */
    async close() {
      deps.settings.stop()
      deps.sync.stop()
      await Promise.allSettled([deps.callbacks.worker.stop(), deps.outbox.stop()])
      await Promise.all([app.close(), sb.close()])
      await deps.db.close()
      rmSync(workDir, { recursive: true, force: true })
    },
  }
}
