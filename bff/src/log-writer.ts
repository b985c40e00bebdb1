/** Lines held before they are written at once, whatever the turn: bounds memory in a burst. */
const MAX_HELD_BYTES = 64 * 1024

/**
 * The server's log lines, written to `out` once per event-loop turn instead of once per line.
 * stdout on a pipe (systemd, docker, a supervisor) is a synchronous write(2) in Node, and every
 * request logs a line: under load one write per request was a tenth of the host API's CPU
 * (profiled with `test/bench/todos.ts`). Lines keep their order; those still held when the process exits (a
 * crash, process.exit) are written by the 'exit' handler, which runs synchronously.
 */
export function turnBatchedWriter(out: { write(chunk: string): unknown } = process.stdout, onExit: (flush: () => void) => void = (f) => process.on('exit', f)) {
  let held: string[] = []
  let bytes = 0
  let scheduled: NodeJS.Immediate | undefined
  const flush = () => {
    if (scheduled) clearImmediate(scheduled)
    scheduled = undefined
    if (!held.length) return
    const chunk = `${held.join('\n')}\n`
    held = []
    bytes = 0
    out.write(chunk)
  }
  onExit(flush)
  return {
    write(line: string) {
      held.push(line)
      bytes += line.length
      if (bytes >= MAX_HELD_BYTES) return flush()
      // unref: a pending flush never keeps the process up; the exit handler writes what is left.
      scheduled ??= setImmediate(flush).unref()
    },
    flush,
  }
}
