import { cpSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';

/**
 * The Electron shell, built once per entry (`--mode main`, `preload`, `staging-worker`,
 * `import-write-worker`, `checkpoint-worker`, `read-worker`, `hub-worker`) so
 * that each is a single CommonJS file: a sandboxed preload cannot require a shared chunk, and a worker
 * thread is started from its own file (electron/core/db/staging.ts finds it beside main.cjs). better-sqlite3
 * stays external: its Node-API binary ships inside the package.
 */
const ENTRIES: Record<string, string> = {
  main: 'electron/main/main.ts',
  preload: 'electron/preload/preload.ts',
  'staging-worker': 'electron/core/db/staging-worker.ts',
  // A big import's writer (electron/core/db/import-write-worker.ts), beside the staging worker.
  'import-write-worker': 'electron/core/db/import-write-worker.ts',
  'checkpoint-worker': 'electron/core/db/checkpoint-worker.ts',
  // Roster files are decoded and parsed off the door's thread (electron/core/roster/read-off-thread.ts).
  'read-worker': 'electron/core/roster/read-worker.ts',
  // The venue hub's server thread (electron/core/hub/server-thread.ts finds it from main.cjs).
  'hub-worker': 'electron/core/hub/server-worker.ts',
};

/**
 * The venue hub's server reads files beside its own modules at run time (server/routes/page.ts: the
 * organisers' page in `../page/`, the chart geometry in `../../shared/charts/`). Its worker bundle sits
 * where page.ts sits — dist-electron/server/routes/ — with those files copied to the same relative places,
 * and its `new URL(…, import.meta.url)` are left for Node to resolve, not turned into bundled assets.
 */
const HUB_WORKER_FILE = 'server/routes/hub-worker.cjs';
function hubServerFiles(): Plugin {
  return {
    name: 'lanyard-hub-server-files',
    enforce: 'pre',
    transform(code, id) {
      // Read by Node at run time: hidden from Vite's asset handling, the bundle's own URL at run time.
      return id.includes('/server/') && code.includes('import.meta.url')
        ? code.replaceAll('import.meta.url', '__lanyardModuleUrl')
        : null;
    },
    closeBundle() {
      cpSync('server/page', 'dist-electron/server/page', { recursive: true, filter: (f) => !f.endsWith('.ts') });
      cpSync('shared/charts', 'dist-electron/shared/charts', { recursive: true });
    },
  };
}

export default defineConfig(({ mode }) => {
  const entry = mode in ENTRIES ? mode : 'main';
  return {
    plugins: entry === 'hub-worker' ? [hubServerFiles()] : [],
    resolve: {
      // ExcelJS's package names a browser build, which Vite prefers: it has no streaming reader, so every
      // workbook upload in the built app failed ("reading 'xlsx'" of undefined). Its Node build instead.
      alias: { exceljs: 'exceljs/excel.js' },
    },
    // CommonJS has no import.meta: the URL of the bundle file itself, as Rollup used to polyfill it.
    define: {
      'import.meta.url': 'require("node:url").pathToFileURL(__filename).href',
      __lanyardModuleUrl: 'require("node:url").pathToFileURL(__filename).href',
    },
    build: {
      outDir: 'dist-electron',
      emptyOutDir: entry === 'main',
      target: 'node22',
      minify: false,
      sourcemap: true,
      lib: {
        entry: { [entry]: ENTRIES[entry]! },
        formats: ['cjs'],
        fileName: (_format, name) => (name === 'hub-worker' ? HUB_WORKER_FILE : `${name}.cjs`),
      },
      rollupOptions: {
        // One file per entry, also where the code loads a package on first use (ExcelJS, playwright-core,
        // pdf-lib): a worker is started from its own file, and the packaged app lists each file.
        output: { codeSplitting: false },
        // PGlite (the venue hub's store) reads its WASM and data files beside its own module: it stays in
        // node_modules rather than being bundled away from them.
        external: [
          'electron',
          'better-sqlite3',
          '@electric-sql/pglite',
          ...builtinModules,
          ...builtinModules.map((m) => `node:${m}`),
        ],
      },
    },
  };
});
