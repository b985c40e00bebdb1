import { defineProject } from 'vitest/config'

// Cross-package tests against the real BFF app and the sandbox over HTTP.
export default defineProject({
  test: {
    name: 'flows',
    root: import.meta.dirname,
    include: ['contract/**/*.test.ts', 'flows/**/*.test.ts'],
    // Generous: other suites may share the machine's cores.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
