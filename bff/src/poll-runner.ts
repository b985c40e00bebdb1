import { AsyncResource } from 'node:async_hooks'

/** Background workers' loop (outbox, callback inbox). Runs `run` on demand (wake, drain) and every `pollMs`, never two at once. */
export interface PollRunner {
  /** Run soon. Never throws. */
  wake(): void
  /** Run now (or join the run in progress, which then goes round once more); resolves when done. */
  drain(): Promise<void>
  /** Run now and then every pollMs. */
  start(): void
  /** No new runs; resolves when the one in progress is over. */
  stop(): Promise<void>
  /** For the run in progress: stop taking new work. */
  stopped(): boolean
  /** A wait for the run in progress (a backoff) that stop() cuts short. */
  sleep(ms: number): Promise<void>
}

export function createPollRunner(o: {
  /** Must not throw for expected failures (it logs them); a throw is reported through onCrash. */
  run: () => Promise<void>
  pollMs: number
  /** Default: a timer that stop() cuts short. */
  sleep?: (ms: number) => Promise<void>
  onCrash: (e: unknown) => void
}): PollRunner {
  let stopped = false
  let running: Promise<void> | undefined
  let again = false
  let generation = 0
  const sleeping = new Set<() => void>()
  const timerSleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        sleeping.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      timer.unref?.()
      sleeping.add(done)
    })
  const sleep = o.sleep ?? timerSleep

  function kick(): Promise<void> {
    if (stopped) return running ?? Promise.resolve()
    if (running) {
      // Work may have been queued after the running pass looked: it goes round once more.
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await o.run()
        } while (again && !stopped)
      } finally {
        running = undefined
      }
    })()
    return running
  }

  // A request wakes the worker, but the run is no part of it: run in the context the runner was
  // made in, else every line the run logs carries that request's id (and keeps its context alive).
  const wake = AsyncResource.bind(() => void kick().catch(o.onCrash))

  return {
    wake,
    drain: kick,
    stopped: () => stopped,
    sleep: timerSleep,
    start() {
      stopped = false
      // A poll loop from before a stop() may still be asleep (injected sleep): it ends on waking.
      const gen = ++generation
      void (async () => {
        while (!stopped && gen === generation) {
          await kick().catch(o.onCrash)
          if (!stopped && gen === generation) await sleep(o.pollMs)
        }
      })()
    },
    async stop() {
      stopped = true
      generation += 1
      for (const wakeUp of [...sleeping]) wakeUp()
      await running
    },
  }
}
