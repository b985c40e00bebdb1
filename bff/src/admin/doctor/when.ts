/** A time an admin reads at a glance, in UTC (the server's zone is not theirs). */
export function when(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
