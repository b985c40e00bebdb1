import { readFileSync } from 'node:fs'

/**
 * CPU time a process has used so far, from /proc (Linux), in ms; 0 elsewhere. On a shared machine
 * a server's CPU per request moves far less with the load of others than its requests per second.
 */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

/** A process's resident memory now and its high-water mark (VmRSS, VmHWM from /proc), in MiB (every memory figure of the bench); 0 elsewhere. */
export function processMemoryMb(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const mb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024)
    return { rssMb: mb('VmRSS'), peakMb: mb('VmHWM') }
  } catch {
    return { rssMb: 0, peakMb: 0 }
  }
}

/**
 * Resolves once the process has used under `share` of a core over `windowMs` (or after `maxMs`):
 * so that work a measurement left behind (a directory rebuild after the last edit it caused) is
 * not billed to the next one.
 */
export async function untilIdle(pid: number, o: { share?: number; windowMs?: number; maxMs?: number } = {}): Promise<void> {
  const { share = 0.05, windowMs = 250, maxMs = 30_000 } = o
  const started = performance.now()
  for (;;) {
    const cpu0 = processCpuMs(pid)
    await new Promise((r) => setTimeout(r, windowMs))
    if (processCpuMs(pid) - cpu0 <= share * windowMs || performance.now() - started > maxMs) return
  }
}
