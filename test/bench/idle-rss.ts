import { startAppProcess } from '../support/app-process'
import { processMemoryMb } from './process-stats'
import { eachStore } from './stores'

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60)

/**
 * Resident memory of the server (sandbox mode, as `pnpm start` runs it) while it idles after
 * start: read from /proc every second for BENCH_IDLE_SECONDS, the start-up sync included.
 * `settledMb` is the last reading, what the process keeps once it is idle.
 */
export async function idleRss() {
  return eachStore(async (store) => {
    const app = await startAppProcess(store.env)
    try {
      let peakMb = 0
      let settledMb = 0
      for (let s = 0; s < IDLE_SECONDS; s++) {
        await new Promise((r) => setTimeout(r, 1_000))
        settledMb = processMemoryMb(app.pid).rssMb
        peakMb = Math.max(peakMb, settledMb)
      }
      return { seconds: IDLE_SECONDS, settledMb, peakMb }
    } finally {
      await app.stop()
    }
  })
}
