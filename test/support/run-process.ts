import { spawn } from 'node:child_process'
import { stopChild } from './app-process'

/**
 * Runs a command to its end: its exit code and output. One still running after `timeoutMs` is
 * stopped (SIGTERM, then SIGKILL) and waited for, then fails: it never outlives its test, so keep
 * `timeoutMs` below the test's own timeout.
 */
export async function runToEnd(
  command: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number },
): Promise<{ code: number | null; out: string }> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    void stopChild(child)
  }, opts.timeoutMs)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  }).finally(() => clearTimeout(timer))
  if (timedOut) throw new Error(`${command} ${args.join(' ')} did not end in ${opts.timeoutMs / 1000} s:\n${out}`)
  return { code, out }
}
