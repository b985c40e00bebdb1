import type { Hono } from 'hono'
import { esc } from '../html'
import { findMember } from './org-index'
import type { SandboxState } from '../state'

const DEFAULT_AVATAR = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="12" fill="#c9cdd4"/><circle cx="50" cy="40" r="18" fill="#fff"/><rect x="22" y="64" width="56" height="26" rx="13" fill="#fff"/></svg>'
const colors = ['#2b7fff', '#07c160', '#fa9d3b', '#10aeff', '#7d5cf0', '#f56c6c']

/** Avatars served by the sandbox itself (user/get points here): initials on a colour. */
export function registerAvatar(app: Hono, s: SandboxState): void {
  app.get('/sandbox/avatar/:userid', (c) => {
    c.header('Cache-Control', 'public, max-age=3600')
    // What auth/getuserdetail points at when the member did not agree to share their avatar.
    if (c.req.param('userid') === 'default') return c.body(DEFAULT_AVATAR, 200, { 'Content-Type': 'image/svg+xml' })
    const member = findMember(s.directory, c.req.param('userid'))
    if (!member) return c.text('not found', 404)
    let h = 0
    for (const ch of member.userid) h = (h * 31 + ch.charCodeAt(0)) >>> 0
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="12" fill="${colors[h % colors.length]}"/>` +
      `<text x="50" y="50" dy=".35em" text-anchor="middle" font-size="34" fill="#fff" font-family="sans-serif">${esc(member.name.slice(-2))}</text></svg>`
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml' })
  })
}
