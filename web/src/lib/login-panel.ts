/** Where WeCom's web login component (the QR panel) is served from. */
export const WECOM_LOGIN_ORIGIN = 'https://login.work.weixin.qq.com'

/** How long the QR frame may take to answer before the page says it did not load. */
export const PANEL_LOAD_MS = 15_000

/**
 * Tells when WeCom's QR frame never came up: it cannot be seen into, but a working panel talks to
 * the page (its SDK handshake comes as a message from WeCom's origin). Blocked by a firewall or a
 * proxy, or offline, it stays a grey box; after `ms`, or at once when offline, `onFail` runs.
 */
export function watchPanelLoad(onFail: () => void, ms = PANEL_LOAD_MS): { loaded(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const onMessage = (e: MessageEvent) => {
    if (e.origin === WECOM_LOGIN_ORIGIN) stop()
  }
  function stop(): void {
    clearTimeout(timer)
    timer = undefined
    window.removeEventListener('message', onMessage)
  }
  window.addEventListener('message', onMessage)
  if (navigator.onLine === false) {
    stop()
    onFail()
  } else {
    timer = setTimeout(() => {
      stop()
      onFail()
    }, ms)
  }
  return { loaded: stop, stop }
}

/** With redirect_type `callback` the page goes on itself: to redirect_uri with the code, as `top` would. */
export function callbackWithCode(redirectUri: string, code: string, state: string): string {
  const u = new URL(redirectUri, window.location.href)
  u.searchParams.set('code', code)
  u.searchParams.set('state', state)
  return u.toString()
}
