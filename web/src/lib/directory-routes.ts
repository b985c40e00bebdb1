import type { RouteLocationRaw } from 'vue-router'

export const contactsRoute = (): RouteLocationRaw => ({ name: 'contacts' })
export const departmentRoute = (id: number): RouteLocationRaw => ({ name: 'department', params: { id: String(id) } })
export const memberRoute = (userid: string): RouteLocationRaw => ({ name: 'member', params: { userid } })
export const otherMembersRoute = (): RouteLocationRaw => ({ name: 'other-members' })
