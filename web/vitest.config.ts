import { defineProject } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'

export default defineProject({
  // Same component resolution as the app so tests render real Vant components.
  plugins: [vue(), Components({ dirs: [], resolvers: [VantResolver({ importStyle: false })], dts: false })],
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    // Fails a test that leaves a timer, frame or request behind (README, Testing).
    setupFiles: ['test/setup/leak-guard.ts'],
    // Generous: other suites may share the machine's cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
