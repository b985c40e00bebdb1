import { fetchJssdkSignatures } from '../api/jssdk'
import { createWecomSdk, type WecomSdk } from '../lib/wecom-sdk'

let sdk: WecomSdk | undefined

/**
 * The page's one WeCom JS-SDK: registered once per page load, shared by every component.
 * Outside the WeCom client `supported` is false, nothing is loaded and every action answers
 * `unsupported`.
 */
export function useWecomSdk(): WecomSdk {
  sdk ??= createWecomSdk({
    userAgent: globalThis.navigator?.userAgent ?? '',
    // ~19 kB gzip, only inside WeCom (its own chunk, shared with the login panel).
    load: () => import('@wecom/jssdk'),
    fetchSignatures: fetchJssdkSignatures,
    pageUrl: () => window.location.href,
    setDocumentTitle: (title) => {
      document.title = title
    },
    log: console,
  })
  return sdk
}
