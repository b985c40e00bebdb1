import { problemReasons, safeReturnTo, wecomErrorInfo, wecomHint, type ProblemReason } from '@portal/shared'
import type { LocationQuery } from 'vue-router'
import type { Lang } from '../i18n/use-i18n'
import type { MessageKey } from '../i18n/messages'
import { translate } from '../i18n/use-i18n'
import { queryString } from './query'

export type ProblemTone = 'error' | 'warning' | 'info'
/** signIn: start /auth/login again; switchAccount: same, worded for a different account; home: back to the app. */
export type ProblemAction = 'signIn' | 'switchAccount' | 'retry' | 'home'

export interface ProblemContent {
  reason: ProblemReason | 'unknown'
  tone: ProblemTone
  icon: string
  title: string
  body: string
  adminHint?: string
  contacts: string[]
  errcode?: number
  action: ProblemAction
  returnTo: string
}

const look: Record<ProblemReason, { tone: ProblemTone; icon: string; action: ProblemAction; admin?: MessageKey }> = {
  not_member: { tone: 'warning', icon: 'user-o', action: 'switchAccount', admin: 'problem.not_member.admin' },
  member_inactive: { tone: 'warning', icon: 'stop-circle-o', action: 'switchAccount', admin: 'problem.member_inactive.admin' },
  no_role: { tone: 'warning', icon: 'lock', action: 'signIn', admin: 'problem.no_role.admin' },
  admin_only: { tone: 'info', icon: 'manager-o', action: 'home' },
  wecom_error: { tone: 'error', icon: 'warning-o', action: 'retry' },
  state_invalid: { tone: 'info', icon: 'clock-o', action: 'signIn' },
  code_invalid: { tone: 'info', icon: 'link-o', action: 'signIn' },
  login_cancelled: { tone: 'info', icon: 'revoke', action: 'signIn' },
  session_expired: { tone: 'info', icon: 'underway-o', action: 'signIn' },
  server_error: { tone: 'error', icon: 'warning-o', action: 'retry' },
}


/** state_invalid by cause; `expired` and anything else keep the general text. */
const stateWhy: Record<string, { title: MessageKey; body: MessageKey }> = {
  other_browser: { title: 'problem.state_invalid.otherBrowser.title', body: 'problem.state_invalid.otherBrowser.body' },
  used: { title: 'problem.state_invalid.used.title', body: 'problem.state_invalid.used.body' },
  invalid: { title: 'problem.state_invalid.invalid.title', body: 'problem.state_invalid.invalid.body' },
}

function isReason(v: string | undefined): v is ProblemReason {
  return (problemReasons as readonly string[]).includes(v ?? '')
}

/** Names arrive comma separated (ASCII or full-width) from the BFF. */
function splitContacts(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 10)
}

/** Everything the problem page shows, from its query alone (the BFF redirects here). */
export function problemContent(query: LocationQuery, lang: Lang): ProblemContent {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars)
  const rawReason = queryString(query, 'reason')
  const returnTo = safeReturnTo(queryString(query, 'returnTo'))
  const errcodeRaw = Number(queryString(query, 'errcode'))
  const errcode = Number.isInteger(errcodeRaw) && queryString(query, 'errcode') !== undefined ? errcodeRaw : undefined

  if (!isReason(rawReason)) {
    return {
      reason: 'unknown',
      tone: 'info',
      icon: 'question-o',
      title: t('problem.unknown.title'),
      body: t('problem.unknown.body'),
      contacts: [],
      errcode,
      action: 'signIn',
      returnTo,
    }
  }

  const l = look[rawReason]
  const content: ProblemContent = {
    reason: rawReason,
    tone: l.tone,
    icon: l.icon,
    title: t(`problem.${rawReason}.title`),
    body: t(`problem.${rawReason}.body`),
    adminHint: l.admin ? t(l.admin) : undefined,
    contacts: rawReason === 'no_role' ? splitContacts(queryString(query, 'contact')) : [],
    errcode,
    action: l.action,
    returnTo,
  }

  const why = queryString(query, 'why')
  if (rawReason === 'state_invalid' && why && Object.hasOwn(stateWhy, why)) {
    content.title = t(stateWhy[why]!.title)
    content.body = t(stateWhy[why]!.body)
  }
  if (rawReason === 'wecom_error' && errcode !== undefined) {
    const info = wecomErrorInfo(errcode)
    const meaning = info ? info[lang] : t('problem.wecom_error.unknown', { code: errcode })
    content.body = t('problem.wecom_error.detail', { meaning })
    content.adminHint = wecomHint(errcode, lang, { ip: queryString(query, 'ip'), domain: queryString(query, 'domain') })
  }
  return content
}
