import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { MyContact } from '@portal/shared'
import { dismissContactPrompt, fetchMyContact, startContactConsent, withdrawContact } from '../api/member-contact'

/** The signed-in member's own shared contact details and the one-time offer to share them. */
export const useMemberContactStore = defineStore('member-contact', () => {
  const state = shallowRef<MyContact | null>(null)
  const busy = ref(false)

  /** A failure only hides the offer: the profile page works without it. */
  async function load(): Promise<void> {
    try {
      state.value = await fetchMyContact()
    } catch {
      state.value = null
    }
  }

  async function run<T>(fn: () => Promise<T>): Promise<T> {
    busy.value = true
    try {
      return await fn()
    } finally {
      busy.value = false
    }
  }

  /** The URL of WeCom's consent page; the caller navigates there. */
  const consentUrl = (returnTo: string) => run(() => startContactConsent(returnTo))
  const dismiss = () => run(async () => void (state.value = await dismissContactPrompt()))
  const withdraw = () => run(async () => void (state.value = await withdrawContact()))

  return { state, busy, load, consentUrl, dismiss, withdraw }
})
