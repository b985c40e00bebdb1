import { defineProject } from 'vitest/config'

// Cross-package tests against the real BFF app and the sandbox over HTTP.
export default defineProject({
  test: {
    name: 'flows',
    root: import.meta.dirname,
    include: ['contract/**/*.test.ts', 'flows/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
