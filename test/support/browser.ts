/**
 * A minimal browser for flow tests: a cookie jar keyed by host name (browsers do not isolate
 * cookies by port, so the app's and the sandbox's cookies share a jar as they would in Chromium),
 * manual redirects, and a User-Agent.
 */
export const UA = {
  wecomMobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
  wecomDesktop:
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.110 Safari/537.36 Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat',
  browser: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
}

interface Cookie {
  value: string
  attrs: string
}

export class TestBrowser {
  readonly jar = new Map<string, Map<string, Cookie>>()
  /** Every URL visited by the last `go`, in order. */
  hops: string[] = []

  constructor(readonly ua: string) {}

  cookie(host: string, name: string): Cookie | undefined {
    return this.jar.get(host)?.get(name)
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url)
    const cookies = [...(this.jar.get(u.hostname) ?? new Map()).entries()].map(([k, c]) => `${k}=${c.value}`).join('; ')
    const headers = new Headers(init.headers)
    headers.set('user-agent', this.ua)
    if (cookies) headers.set('cookie', cookies)
    const res = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of res.headers.getSetCookie()) this.store(u.hostname, line)
    return res
  }

  /**
   * Navigates, following redirects. `rewrite` may change a URL before it is requested (e.g. to
   * add `sandbox_userid` to the authorize link, as the WeCom client would know who is signed in).
   */
  async go(url: string, rewrite: (u: URL) => URL = (u) => u, maxHops = 12): Promise<{ res: Response; url: string }> {
    this.hops = []
    let current = url
    for (let i = 0; i < maxHops; i++) {
      current = rewrite(new URL(current)).toString()
      this.hops.push(current)
      const res = await this.request(current)
      const loc = res.headers.get('location')
      if (res.status < 300 || res.status >= 400 || !loc) return { res, url: current }
      await res.arrayBuffer()
      current = new URL(loc, current).toString()
    }
    throw new Error(`too many redirects: ${this.hops.join(' → ')}`)
  }

  private store(host: string, line: string): void {
    const [pair, ...rest] = line.split(';')
    const eq = pair!.indexOf('=')
    const name = pair!.slice(0, eq).trim()
    const value = pair!.slice(eq + 1).trim()
    const attrs = rest.join(';')
    const jar = this.jar.get(host) ?? new Map<string, Cookie>()
    this.jar.set(host, jar)
    if (/max-age=0\b/i.test(attrs) || /expires=Thu, 01 Jan 1970/i.test(attrs) || value === '') jar.delete(name)
    else jar.set(name, { value, attrs })
  }
}

/** Adds the sandbox's automation shortcut: who is signed in to the "WeCom client". */
export const signedInAs = (userid: string) => (u: URL) => {
  if (u.pathname === '/connect/oauth2/authorize') u.searchParams.set('sandbox_userid', userid)
  return u
}
