/** The tab bar's chunk: App shows it once signed in, the router starts it with the session. */
export const loadAppTabbar = () => import('./AppTabbar.vue')
