import { formatCorpTime } from '../../time/corp-time'

/** A time an admin reads at a glance, in the corp's zone, with its offset (the server's zone is not theirs). */
export function when(at: Date, zone: string): string {
  return formatCorpTime(at, zone, { seconds: true, offset: true })
}
