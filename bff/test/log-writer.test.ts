import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { turnBatchedWriter } from '../src/log-writer'

const WRITER = join(import.meta.dirname, '../src/log-writer.ts')

/** A node process that logs through the writer, then runs `then` (no await in between). */
function child(then: string) {
  const script = `import { turnBatchedWriter } from ${JSON.stringify(WRITER)}
    const w = turnBatchedWriter()
    for (let i = 0; i < 3; i++) w.write('line ' + i)
    ${then}`
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, cwd: join(import.meta.dirname, '..') })
}

describe('log lines written once per turn', () => {
  // ---- failure paths first -------------------------------------------------------------------

  it('lines held when the process exits at once are still written, in order', () => {
    const r = child('process.exit(3)')
    expect(r.status).toBe(3)
    expect(r.stdout).toBe('line 0\nline 1\nline 2\n')
  })

  it('lines held when the process dies of an uncaught exception are still written', () => {
    const r = child("throw new Error('crash')")
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('line 0\nline 1\nline 2\n')
    expect(r.stderr).toContain('crash')
  })

  it('a burst is written before the turn ends once 64 KB are held', () => {
    const chunks: string[] = []
    const w = turnBatchedWriter({ write: (c) => chunks.push(c) }, () => {})
    const line = 'x'.repeat(1000)
    for (let i = 0; i < 70; i++) w.write(line)
    expect(chunks).toHaveLength(1)
    expect(chunks[0]!.split('\n').filter(Boolean)).toHaveLength(66)
    w.flush()
    expect(chunks.join('').split('\n').filter(Boolean)).toHaveLength(70)
  })

  // ---- normal paths ----------------------------------------------------------------------------

  it('lines of one turn go out in one write, in order, on the next turn', async () => {
    const chunks: string[] = []
    const w = turnBatchedWriter({ write: (c) => chunks.push(c) }, () => {})
    w.write('a')
    w.write('b')
    expect(chunks).toEqual([])
    await new Promise((r) => setImmediate(r))
    expect(chunks).toEqual(['a\nb\n'])
    w.write('c')
    await new Promise((r) => setImmediate(r))
    expect(chunks).toEqual(['a\nb\n', 'c\n'])
  })

  it('a process with nothing else to do exits without waiting for the writer', () => {
    const r = child('')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('line 0\nline 1\nline 2\n')
  })
})
