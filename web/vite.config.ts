import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { precompress } from './build/precompress.ts'
import { vantIconFontAsset } from './build/vant-icon-font.ts'

const bff = 'http://localhost:3000'

export default defineConfig({
  // The real prefix (PUBLIC_URL's path) is only known at run time: the BFF injects
  // window.__PORTAL_BASE__ and rewrites "/assets/ in index.html, so build for '/'.
  base: '/',
  plugins: [
    vue(),
    // Vant components and their styles on demand; our own components are imported explicitly.
    Components({ dirs: [], resolvers: [VantResolver({ importStyle: true })], dts: 'src/components.d.ts' }),
    vantIconFontAsset(),
    precompress(),
  ],
  experimental: {
    renderBuiltUrl(filename, { hostType }) {
      // Chunks and assets referenced from JS resolve against the runtime prefix.
      if (hostType === 'js') return { runtime: `(window.__PORTAL_BASE__||"/")+${JSON.stringify(filename)}` }
      // CSS files live next to their assets, so a relative url() survives any prefix.
      if (hostType === 'css') return { relative: true }
      return undefined
    },
  },
  // The manifest lets the bench and size checks follow each route's static imports.
  build: { target: 'es2020', manifest: true },
  server: {
    port: 5173,
    proxy: { '/api': bff, '/auth': bff, '/healthz': bff },
  },
  preview: { port: 4173 },
})
