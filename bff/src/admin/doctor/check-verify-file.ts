import { listVerifyFiles } from '../verify-file-store'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, L, ok, warn, type Outcome } from './types'

const FETCH_TIMEOUT_MS = 5_000

/**
 * At least one WW_verify_*.txt, and PUBLIC_URL's origin really serves it: fetched over HTTP the
 * way WeCom will, through whatever proxy sits in front. Unreachable from here is only a warning
 * (servers often cannot reach their own public address); a wrong answer is a failure.
 */
export async function checkVerifyFile(r: DoctorRun): Promise<Outcome> {
  const { config, db } = r.ctx
  const files = db ? await listVerifyFiles(db, config) : config.verifyFiles
  if (!files.length) {
    return warn(
      L('还没有域名归属校验文件（WW_verify_*.txt）：JS-SDK 功能会受限。', 'No domain verification file (WW_verify_*.txt) yet: JS-SDK features are limited without it.'),
      L(`在 ${CONSOLE.trustedDomain.zh} 中下载校验文件，然后在本控制台的“接入向导”页上传。`, `Download the file under ${CONSOLE.trustedDomain.en}, then upload it on this console's setup guide page.`),
    )
  }
  const origin = new URL(config.publicUrl).origin
  const results = await Promise.all(files.slice(0, 3).map(async (f) => ({ f, got: await fetchFile(r, `${origin}/${f.name}`) })))
  const good = results.find((x) => x.got.kind === 'body' && x.got.status === 200 && x.got.body.trim() === x.f.content)
  if (good) return ok(L(`${origin}/${good.f.name} 返回了正确的内容。`, `${origin}/${good.f.name} serves the right content.`))
  const wrong = results.find((x) => x.got.kind === 'body')
  if (wrong && wrong.got.kind === 'body') {
    return fail(
      L(`${origin}/${wrong.f.name} 返回 HTTP ${wrong.got.status}，内容与上传的文件不一致。`, `${origin}/${wrong.f.name} answered HTTP ${wrong.got.status} with something other than the uploaded file.`),
      L(
        '企业微信从域名根目录取这个文件：请让反向代理把 /WW_verify_*.txt 转发到本应用（即使应用部署在子路径下）。',
        'WeCom fetches the file from the domain root: make the reverse proxy forward /WW_verify_*.txt to this app (even when the app lives under a path).',
      ),
    )
  }
  const first = results[0]!
  return warn(
    L(`无法从本服务器访问 ${origin}/${first.f.name}（${first.got.kind === 'error' ? first.got.message : ''}），请在浏览器中打开它确认。`, `Could not fetch ${origin}/${first.f.name} from this server (${first.got.kind === 'error' ? first.got.message : ''}); open it in a browser to check.`),
  )
}

type Fetched = { kind: 'body'; status: number; body: string } | { kind: 'error'; message: string }

async function fetchFile(r: DoctorRun, url: string): Promise<Fetched> {
  try {
    const res = await r.ctx.fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    const body = (await res.text()).slice(0, 200)
    return { kind: 'body', status: res.status, body }
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause
    return { kind: 'error', message: cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)) }
  }
}
