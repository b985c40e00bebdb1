import type { Config } from './config'

/** An app-relative path (`/todos?x=1`) as a same-origin URL path under PUBLIC_URL's prefix. */
export function appPath(config: Pick<Config, 'basePath'>, path: string): string {
  return config.basePath + path.replace(/^\/+/, '')
}

/** The OAuth / Web-login redirect_uri WeCom sends the browser back to. */
export function callbackUrl(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl}/auth/callback`
}
