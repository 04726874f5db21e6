import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

/**
 * The Electron shell, built once per entry (`--mode main`, `--mode preload`) so that each is a single
 * CommonJS file: a sandboxed preload cannot require a shared chunk. better-sqlite3 stays external: its
 * Node-API binary ships inside the package.
 */
export default defineConfig(({ mode }) => {
  const entry = mode === 'preload' ? 'preload' : 'main';
  return {
    build: {
      outDir: 'dist-electron',
      emptyOutDir: entry === 'main',
      target: 'node22',
      minify: false,
      sourcemap: true,
      lib: {
        entry: { [entry]: `electron/${entry}/${entry}.ts` },
        formats: ['cjs'],
        fileName: (_format, name) => `${name}.cjs`,
      },
      rollupOptions: {
        external: ['electron', 'better-sqlite3', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      },
    },
  };
});
