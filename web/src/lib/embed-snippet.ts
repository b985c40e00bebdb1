import { safeReturnTo } from '@portal/shared'

/** Where the H5 lives, no trailing slash (PUBLIC_URL). */
function trimBase(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '')
}

/** An app path made safe (same-origin only; anything else is `/`), with `embed=1` for an iframe. */
export function appPath(path: string, opts: { embed?: boolean } = {}): string {
  const url = new URL(safeReturnTo(path.trim() || '/'), 'http://x.invalid')
  url.searchParams.delete('embed')
  if (opts.embed) url.searchParams.set('embed', '1')
  return url.pathname + url.search + url.hash
}

/** The full URL of an app page under PUBLIC_URL. */
export function appLink(publicUrl: string, path: string, opts: { embed?: boolean } = {}): string {
  return trimBase(publicUrl) + appPath(path, opts)
}

/** scheme://host[:port] of a URL; what `event.origin` reads on the host page. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}

/**
 * What a host page pastes: the iframe, and a listener that trusts only the portal's own origin
 * and frame, resizes the frame on `height` and shows the pending count on `todos`.
 */
export function hostSnippet(src: string): string {
  const origin = originOf(src)
  return `<!-- WeCom portal, embedded. The host page's origin must be listed in EMBED_ORIGINS. -->
<iframe id="wecom-portal" src="${src}"
  title="WeCom portal" style="display:block;width:100%;height:480px;border:0"></iframe>
<span id="wecom-portal-badge" hidden></span>

<script>
  (function () {
    var PORTAL_ORIGIN = '${origin}';
    var frame = document.getElementById('wecom-portal');
    var badge = document.getElementById('wecom-portal-badge');
    window.addEventListener('message', function (event) {
      // Only messages from the portal in this frame.
      if (event.origin !== PORTAL_ORIGIN || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (!data || data.source !== 'wecom-portal') return;
      if (data.type === 'height') {
        frame.style.height = data.height + 'px';
      } else if (data.type === 'todos') {
        badge.textContent = data.pending > 99 ? '99+' : String(data.pending);
        badge.hidden = data.pending === 0;
      } else if (data.type === 'navigate') {
        // data.path and data.title: the page now open in the frame.
      } else if (data.type === 'ready') {
        // The portal has loaded in the frame.
      }
    });
  })();
</script>`
}
