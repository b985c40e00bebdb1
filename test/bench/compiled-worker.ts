import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { appFiles, builtLayout } from '@portal/bff/app-files'

const BFF = resolve(import.meta.dirname, '../../bff')

/**
 * `script` (a .ts file here) bundled as `pnpm build` bundles the CLIs (workspace code inlined,
 * `PORTAL_BUILD` set), beside links to the BFF's node_modules and the files it reads at run time: it runs with plain
 * node and no TypeScript loader, so its memory and CPU are what `node dist/sync.js` would show.
 * Returns the file and a cleanup.
 */
export async function compiledScript(script: string): Promise<{ file: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compiled-'))
  symlinkSync(join(BFF, 'node_modules'), join(dir, 'node_modules'), 'dir')
  symlinkSync(appFiles.migrations, join(dir, builtLayout.migrations), 'dir')
  symlinkSync(appFiles.pgliteThread, join(dir, builtLayout.pgliteThread))
  const file = join(dir, 'script.mjs')
  await build({
    entryPoints: [resolve(import.meta.dirname, script)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages from the BFF's node_modules; workspace code (TypeScript) is bundled.
    plugins: [{ name: 'external-packages', setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@portal/') ? undefined : { path: a.path, external: true })) }],
    define: { PORTAL_BUILD: 'true' },
    logLevel: 'warning',
  })
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
