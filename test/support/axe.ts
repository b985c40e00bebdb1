import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

// axe-core runs inside the page, as a script; the app's CSP has no script-src, so it may be added.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** What the suite fails on: WCAG 2.2 A/AA and axe's best practices, at these impacts. */
export const BLOCKING = ['serious', 'critical'] as const

export interface AxeFinding {
  rule: string
  impact: string
  help: string
  /** Up to five offending elements: CSS selector, then axe's reason. */
  nodes: string[]
}

interface AxeResult {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[]; failureSummary?: string }[]
}

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  // Off by default in axe: the touch-target check (WCAG 2.2 2.5.8) is one the issue asks for.
  rules: { 'target-size': { enabled: true } },
  resultTypes: ['violations'],
}

/**
 * Runs axe-core on the page as it is now (both themes: call it after switching). Every rule of
 * WCAG 2.2 A/AA and best practice runs, including target-size (touch targets of 24 × 24 px).
 */
export async function audit(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.addScriptTag({ content: AXE_SOURCE })
  // Source text: it runs in the page, and the test package has no DOM types.
  const violations = await page.evaluate<AxeResult[]>(`axe.run(document, ${JSON.stringify(AXE_OPTIONS)}).then((r) => r.violations)`)
  return violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.map(String).join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').replace(/^Fix any of the following: /, '').slice(0, 240)}`),
  }))
}

export const blocking = (findings: AxeFinding[]) => findings.filter((f) => (BLOCKING as readonly string[]).includes(f.impact))

/** One line per finding, for a failure message a person can act on. */
export const describeFindings = (findings: AxeFinding[]) =>
  findings.map((f) => `[${f.impact}] ${f.rule}: ${f.help}\n${f.nodes.map((n) => `    at ${n}`).join('\n')}`).join('\n  ')
