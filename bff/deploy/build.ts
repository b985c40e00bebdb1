import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { build } from 'esbuild'
import { appFiles, builtLayout } from '../src/app-files'

/**
 * `pnpm build [--out <dir>]` (after the H5's vite build): one self-contained folder that runs
 * with `node <dir>/server.js` on a machine with Node and nothing else.
 *
 *   server.js, doctor.js, sync.js,  the BFF and its CLIs, bundled (workspace code inlined)
 *   backup.js, restore.js
 *   web/                            the built H5
 *   migrations/                     the SQL migrations
 *   pglite-thread.mjs               the thread PGlite runs on (plain JavaScript, loaded by Node)
 *   node_modules/                   production dependencies only (`pnpm deploy --prod`)
 *   package.json, build-info.json
 *
 * Where the server finds web/ and migrations/ is bff/src/app-files.ts.
 */
const BFF = resolve(import.meta.dirname, '..')
const ROOT = resolve(BFF, '..')
const MARKER = 'build-info.json'

export async function buildDist(out: string): Promise<void> {
  if (!existsSync(join(appFiles.webDist, 'index.html'))) {
    throw new Error('The H5 is not built: run `pnpm build` (it builds the H5 first) or `pnpm --filter @portal/web build`.')
  }
  clearOut(out)

  // Production dependencies, as the lockfile pins them. pnpm deploy also copies the package's
  // own files, so it installs into a scratch folder and only node_modules is kept.
  const scratch = join(out, '.deploy')
  execFileSync('pnpm', ['--filter', '@portal/bff', 'deploy', '--prod', '--offline', scratch], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  renameSync(join(scratch, 'node_modules'), join(out, 'node_modules'))
  // Its package.json has the catalog's versions filled in.
  const deps = (JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies
  rmSync(scratch, { recursive: true, force: true })
  // Workspace packages are TypeScript: bundled, so their copies go.
  const external = Object.keys(deps).filter((d) => !d.startsWith('@portal/'))
  rmSync(join(out, 'node_modules/@portal'), { recursive: true, force: true })
  for (const d of readdirSync(join(out, 'node_modules/.pnpm')).filter((d) => d.startsWith('@portal+'))) rmSync(join(out, 'node_modules/.pnpm', d), { recursive: true, force: true })

  const result = await build({
    entryPoints: {
      server: join(BFF, 'src/index.ts'),
      doctor: join(BFF, 'src/cli/doctor.ts'),
      sync: join(BFF, 'src/cli/sync.ts'),
      backup: join(BFF, 'src/cli/backup.ts'),
      restore: join(BFF, 'src/cli/restore.ts'),
    },
    outdir: out,
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    define: { PORTAL_BUILD: 'true' },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  })
  // Every import left to node must be a production dependency, or the folder will not run.
  const missing = new Set<string>()
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:')) continue
      const name = imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : imp.path.split('/')[0]!
      if (!external.includes(name)) missing.add(imp.path)
    }
  }
  if (missing.size) throw new Error(`The bundle imports what bff/package.json does not list in dependencies: ${[...missing].join(', ')}`)

  cpSync(appFiles.webDist, join(out, builtLayout.webDist), { recursive: true })
  cpSync(appFiles.migrations, join(out, builtLayout.migrations), { recursive: true })
  cpSync(appFiles.pgliteThread, join(out, builtLayout.pgliteThread))
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: unknown }
  writeFileSync(
    join(out, 'package.json'),
    `${JSON.stringify(
      {
        name: 'wecom-portal-server',
        private: true,
        type: 'module',
        engines: root.engines,
        scripts: { start: 'node server.js', doctor: 'node doctor.js', sync: 'node sync.js', backup: 'node backup.js', restore: 'node restore.js' },
        dependencies: Object.fromEntries(external.map((d) => [d, deps[d]])),
      },
      null,
      2,
    )}\n`,
  )
  writeFileSync(join(out, MARKER), `${JSON.stringify({ commit: gitCommit(), builtAt: new Date().toISOString() }, null, 2)}\n`)
}

/** Empties `out` for a new build, refusing to wipe a folder that is not one of ours. */
function clearOut(out: string): void {
  if (existsSync(out) && readdirSync(out).length && !existsSync(join(out, MARKER))) {
    throw new Error(`${out} is not empty and holds no earlier build (${MARKER}): refusing to overwrite it. Choose another --out.`)
  }
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2)
  const at = args.indexOf('--out')
  // pnpm runs scripts in the package folder; a relative --out means the caller's folder.
  const from = process.env.INIT_CWD ?? process.cwd()
  const outArg = at >= 0 ? args[at + 1] : undefined
  if (at >= 0 && !outArg) {
    console.error('--out needs a folder')
    process.exit(1)
  }
  const out = outArg ? (isAbsolute(outArg) ? outArg : resolve(from, outArg)) : join(ROOT, 'dist')
  try {
    await buildDist(out)
    console.log(`Built ${out}: run it with \`node ${join(out, 'server.js')}\` (see the README's "Deploy").`)
  } catch (e) {
    console.error((e as Error).message)
    process.exit(1)
  }
}
