import { defineProject } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineProject({
  plugins: [vue()],
  test: { name: 'web', environment: 'happy-dom', include: ['test/**/*.test.ts'] },
})
