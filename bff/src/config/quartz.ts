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
