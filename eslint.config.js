// Lint, with the layer rules of ../shared/design/architecture.md §2 as errors (VS Code's code-layering,
// Signal's runtime suffixes): who may import whom is checked on every `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { layersPlugin } from './tools/eslint-layers.js';
import { commentsPlugin } from './tools/eslint-comments.js';

const ROOT = import.meta.dirname;
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const DECLARED = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });

/**
 * Who may import whom (../shared/design/architecture.md §2), as an allow-list per layer: `files` says which
 * files are the layer, `layers` which other layers it may import, `packages` which npm packages, `node`
 * whether Node's built-ins. Anything else — another layer, a package not listed, a file in no layer — is an
 * error of `layers/imports`. The compiler holds the same line for globals: each layer's tsconfig has only
 * its runtime's types (tsconfig.json).
 */
const LAYERS = {
  // Runtime-neutral: pure libraries only; no Node, no DOM, no other layer.
  shared: { files: ['shared/**'], layers: [], packages: ['zod', 'pinyin-pro', 'fflate'], node: false },
  // A sandboxed page: talks to the core only through the API client (shared/api.ts).
  renderer: {
    files: ['renderer/**'],
    layers: ['shared'],
    packages: [
      'react',
      'react-dom',
      'zustand',
      'qrcode',
      'zxing-wasm',
      '@fontsource/noto-sans',
      '@fontsource/noto-sans-sc',
      '@fontsource/noto-sans-kr',
    ],
    node: false,
  },
  // The kiosk's core in plain Node: never a host, the shell, the renderer or the server — except the
  // server's one entry (serverEntry), which the venue hub (electron/core/hub/) starts on the LAN.
  core: {
    files: ['electron/core/**'],
    layers: ['shared', 'serverEntry'],
    packages: [
      'better-sqlite3',
      'zod',
      'fflate',
      'exceljs',
      'qrcode',
      'playwright-core',
      '@sparticuz/chromium',
      'pdf-lib',
    ],
    node: true,
  },
  // Transports for the contract (IPC, loopback HTTP): they are handed the handler table, they do not build it.
  host: { files: ['electron/host/**'], layers: ['shared'], packages: ['zod'], node: true },
  // The `lanyard` command: composes the core and a host.
  cli: { files: ['electron/cli/**'], layers: ['shared', 'core', 'host', 'serverEntry'], packages: ['zod'], node: true },
  // The Electron shell: the only layer (with preload) that imports electron.
  main: {
    files: ['electron/main/**'],
    layers: ['shared', 'core', 'host'],
    packages: ['electron', 'zod'],
    node: true,
  },
  // One sandboxed file: contextBridge and the contract, nothing of Node.
  preload: { files: ['electron/preload/**'], layers: ['shared'], packages: ['electron'], node: false },
  // server/start.ts's startServer: the one door into the server from outside it. A kiosk laptop that is
  // the venue hub runs the very same server (same routes, same storage rules) instead of a copy of it.
  serverEntry: {
    files: ['server/start.ts'],
    layers: ['shared', 'server'],
    packages: ['fastify', 'pg', '@electric-sql/pglite', 'qrcode', 'zod', 'exceljs'],
    node: true,
  },
  // The central sync server: shared/ and its own libraries, never electron/.
  server: {
    files: ['server/**'],
    layers: ['shared', 'serverEntry'],
    packages: ['fastify', 'pg', '@electric-sql/pglite', 'qrcode', 'zod', 'exceljs'],
    node: true,
  },
  // Tests, benches and tooling drive every layer, with any declared package.
  tests: {
    files: ['tests/**', 'tools/**', '*.ts', '*.js'],
    layers: ['shared', 'renderer', 'core', 'host', 'cli', 'main', 'preload', 'serverEntry', 'server'],
    packages: DECLARED,
    node: true,
  },
};

const BROWSER_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location'];
const NODE_GLOBALS = ['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate'];
const noGlobals = (names, why) => names.map((name) => ({ name, message: why }));

export const layerRules = [
  {
    files: ['**/*.{ts,tsx,js}'],
    plugins: { layers: layersPlugin({ root: ROOT, layers: LAYERS }) },
    rules: { 'layers/imports': 'error' },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...noGlobals([...BROWSER_GLOBALS, ...NODE_GLOBALS], 'shared/ is runtime-neutral: no DOM, no Node globals.'),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...noGlobals(NODE_GLOBALS, 'A sandboxed page has no Node globals.')],
    },
  },
  {
    files: ['electron/{core,host,cli,main}/**/*.ts', 'server/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...noGlobals(BROWSER_GLOBALS, 'Node code has no DOM (a page evaluated in a browser gets its code as text).'),
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'node_modules/**', 'test-results/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  ...layerRules,
  {
    files: ['{electron,server,shared,renderer}/**/*.{ts,tsx,js}'],
    plugins: { comments: commentsPlugin },
    rules: { 'comments/no-issue-numbers': 'error' },
  },
);
