import { listenLate } from './listen'

/** A host app's page on its own origin: 127.0.0.1, another *site* than the app's `localhost`. */
export interface EmbedHost {
  origin: string
  /** The page served at every path from now on. */
  serve(html: string): void
  close(): Promise<void>
}

export async function startEmbedHost(): Promise<EmbedHost> {
  const server = await listenLate()
  return {
    origin: `http://127.0.0.1:${server.port}`,
    serve: (html) => server.setHandler(() => new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })),
    close: server.close,
  }
}

/**
 * A host page around `snippet` (what the console tells admins to paste), with a recorder that
 * registers first and keeps every message the page receives in `window.__messages`.
 */
export function hostPage(snippet: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>OA</title>
<script>
  window.__messages = [];
  window.addEventListener('message', function (e) { window.__messages.push({ origin: e.origin, data: e.data }) });
</script>
</head><body style="margin:0;font-family:sans-serif">
<header style="padding:12px 16px;background:#1d2129;color:#fff">OA 系统</header>
${snippet}
</body></html>`
}

export interface RecordedMessage {
  origin: string
  data: unknown
}
