import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

// Every temp dir a test makes (the stores of the servers and CLIs it starts, config dirs) goes
// under one for the run, which goes when the run ends: the test workers inherit TMPDIR.
const runTmp = mkdtempSync(join(tmpdir(), 'portal-test-'))
// Open to other users, as /tmp is: the throwaway PostgreSQL cluster runs as `postgres`.
chmodSync(runTmp, 0o755)
process.env.TMPDIR = runTmp
process.on('exit', () => rmSync(runTmp, { recursive: true, force: true }))

// One `vitest run` covers every package; each project keeps its own environment.
export default defineConfig({
  test: {
    // Vitest's default is one worker per core but one: a single worker on a 2-core machine (CI's).
    // Most files spend their time waiting on the servers, PostgreSQL and Chromium they start, so
    // two at once there took 985–1,040 s instead of 1,219 s (2026-12-05).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: ['shared', 'bff', 'web', 'test/vitest.flows.config.ts', 'test/vitest.e2e.config.ts'],
  },
})
