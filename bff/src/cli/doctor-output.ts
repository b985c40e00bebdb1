import type { DoctorReport } from '@portal/shared'

const SYMBOL = { ok: '✓', warn: '⚠', fail: '✗', skip: '–' } as const

/** Columns a string takes in a terminal: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1
  return w
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)))

/** The doctor's report as a table for the terminal, in one language. */
export function formatReport(report: DoctorReport, lang: 'zh' | 'en'): string {
  const titleWidth = Math.max(...report.checks.map((c) => displayWidth(c.title[lang])))
  const lines = [lang === 'zh' ? `企业微信门户自检（${report.ranAt}）` : `WeCom portal doctor (${report.ranAt})`, '']
  for (const c of report.checks) {
    const ms = c.status === 'skip' && c.ms === 0 ? '' : `  (${c.ms} ms)`
    lines.push(`${SYMBOL[c.status]} ${pad(c.title[lang], titleWidth)}  ${c.summary[lang]}${ms}`)
    if (c.fix && c.status !== 'ok') lines.push(`  ${' '.repeat(titleWidth)}  → ${c.fix[lang]}`)
  }
  const count = (s: keyof typeof SYMBOL) => report.checks.filter((c) => c.status === s).length
  lines.push('')
  lines.push(
    lang === 'zh'
      ? `${count('ok')} 项正常，${count('warn')} 项警告，${count('fail')} 项失败，${count('skip')} 项跳过。${report.ok ? '' : '请先处理标 ✗ 的项。'}`
      : `${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skip')} skipped.${report.ok ? '' : ' Fix the ✗ items first.'}`,
  )
  return lines.join('\n')
}
