export {}

declare global {
  interface Window {
    /** PUBLIC_URL's path (e.g. "/portal/"), injected into index.html by the BFF. */
    __PORTAL_BASE__?: string
  }
}
