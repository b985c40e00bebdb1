import { ipFromErrmsg, wecomErrorInfo, wecomHint, type SyncRun } from '@portal/shared'

export type RunTone = 'primary' | 'success' | 'danger' | 'warning' | 'default'

const tones: Record<SyncRun['status'], RunTone> = {
  running: 'primary',
  succeeded: 'success',
  failed: 'danger',
  held: 'warning',
  cancelled: 'default',
  confirmed: 'default',
}

export function runTone(status: SyncRun['status']): RunTone {
  return tones[status]
}

/** Until it finishes, a run's duration grows with the clock. */
export function runDurationMs(run: SyncRun, now = Date.now()): number {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now
  return Math.max(0, end - Date.parse(run.startedAt))
}

/** "1分05秒" / "1 min 5 s"; under a second reads "<1 s". */
export function formatDuration(ms: number, lang: 'zh' | 'en'): string {
  const s = Math.floor(ms / 1000)
  if (s < 1) return lang === 'en' ? '<1 s' : '<1秒'
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (lang === 'en') return [h && `${h} h`, m && `${m} min`, (sec || (!h && !m)) && `${sec} s`].filter(Boolean).join(' ')
  return [h && `${h}小时`, m && `${m}分`, (sec || (!h && !m)) && `${sec}秒`].filter(Boolean).join('')
}

/**
 * Members and departments read so far. The run's counts are filled in once the read is complete;
 * while it reads, the progress carries the members read and the departments in the read.
 */
export function seenCounts(run: SyncRun): { members: number; departments: number } {
  const { phase, total, members } = run.progress
  if (phase === 'reading' && run.counts.membersSeen === 0 && run.counts.departmentsSeen === 0) {
    return { members: members ?? 0, departments: total }
  }
  return { members: run.counts.membersSeen, departments: run.counts.departmentsSeen }
}

/** Share of the current phase done, when the engine knows the total. */
export function progressPercent(run: SyncRun): number | null {
  const { done, total } = run.progress
  if (total <= 0) return null
  return Math.min(100, Math.round((done / total) * 100))
}

/**
 * The run that waits for an admin: the newest held run, unless a run after it succeeded (a
 * confirmed or a later scheduled one). A failed run after it changes nothing: still waiting.
 */
export function pendingHold(runs: readonly SyncRun[]): SyncRun | undefined {
  for (const r of runs) {
    if (r.status === 'succeeded') return undefined
    if (r.status === 'held' && r.hold) return r
  }
  return undefined
}

/** A share as a percent with at most one decimal: 0.2 → "20%", 0.125 → "12.5%". */
export function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10}%`
}

export interface SyncErrorView {
  /** What WeCom's errcode means, in the admin's language (when we know the code). */
  meaning?: string
  /** The BFF's technical line (which call failed). */
  detail: string
  hint?: string
}

/** A run's error for people: the errcode's meaning and fix in their language, the raw line kept. */
export function syncErrorView(e: SyncRun['errors'][number], lang: 'zh' | 'en'): SyncErrorView {
  if (e.errcode === undefined) return { detail: e.message, hint: e.hint }
  const info = wecomErrorInfo(e.errcode)
  return {
    meaning: info?.[lang],
    detail: e.message,
    hint: wecomHint(e.errcode, lang, { ip: ipFromErrmsg(e.message) }) ?? e.hint,
  }
}
