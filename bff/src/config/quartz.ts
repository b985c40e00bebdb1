import { Cron } from 'croner'

/** Whether croner accepts a Quartz expression the way the scheduler will run it. */
export function validQuartz(expr: string): boolean {
  try {
    new Cron(expr, { sloppyRanges: true, alternativeWeekdays: true, paused: true }).stop()
    return true
  } catch {
    return false
  }
}

/**
 * Runs `fn` on a Quartz schedule (`10 0/10 * * * ?`: seconds first, `?`, `0/10`). A tick that
 * comes while the promise `fn` returned for the previous one is still pending is skipped; a `fn`
 * that returns nothing has to keep its runs apart itself.
 */
export function scheduleQuartz(expr: string, fn: () => void | Promise<void>): Cron {
  return new Cron(expr, { sloppyRanges: true, alternativeWeekdays: true, protect: true }, fn)
}
