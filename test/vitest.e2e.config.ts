import { defineProject } from 'vitest/config'

// Real Chromium against a real BFF + sandbox on loopback ports; one file at a time.
export default defineProject({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.test.ts'],
    setupFiles: ['support/page-errors-setup.ts'],
    fileParallelism: false,
    // Generous: the app starts from source (up to 150 s on a loaded machine) beside a Chromium.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
