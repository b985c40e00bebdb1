import { defineProject } from 'vitest/config'

// Real Chromium against a real BFF + sandbox on loopback ports; one file at a time.
export default defineProject({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
