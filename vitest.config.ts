import { defineConfig } from 'vitest/config'

// One `vitest run` covers every package; each project keeps its own environment.
export default defineConfig({
  test: {
    projects: ['shared', 'bff', 'web', 'test/vitest.flows.config.ts', 'test/vitest.e2e.config.ts'],
  },
})
