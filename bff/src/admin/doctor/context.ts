import { ipFromErrmsg } from '@portal/shared'
import type { Deps } from '../../deps'
import { createTokenCache, createWeComClient, type WeComError } from '../../wecom'
import type { HealthMarks } from '../marks'
import type { DoctorContext } from './types'

/** The client hook that remembers the IP WeCom saw in a 60020 (the setup page shows it). */
export function recordIpRejected(marks: HealthMarks | undefined): (e: WeComError) => void {
  return (e) => {
    if (e.errcode === 60020) marks?.record('ip_rejected', { ip: ipFromErrmsg(e.errmsg), path: e.path })
  }
}

/** The doctor as the running server sees things: its config (settings applied), database and marks. */
export function doctorContext(deps: Pick<Deps, 'config' | 'db' | 'log' | 'now' | 'marks'>, testMessageTo?: string): DoctorContext {
  const { config, log, now, marks } = deps
  return {
    config,
    db: deps.db,
    log,
    now,
    marks,
    fetch: globalThis.fetch.bind(globalThis),
    testMessageTo,
    client: (secret) =>
      createWeComClient({
        apiBase: config.wecom.apiBase,
        corpId: config.wecom.corpId,
        secret,
        // Its own cache: the check must really ask WeCom, not reuse the app's cached token.
        tokens: createTokenCache(),
        proxyUrl: config.wecom.proxyUrl,
        now,
        logger: log,
        onError: recordIpRejected(marks),
      }),
  }
}
