// Lint, with the layer rules of ../shared/design/architecture.md §2 as errors (VS Code's code-layering,
// Signal's runtime suffixes): who may import whom is checked on every `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'net',
  'url',
  'util',
  'stream',
  'worker_threads',
];

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const group = (names, message) => ({ group: names, message });

export const layerRules = [
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      ...restrict([
        group(NODE_BUILTINS, 'shared/ is runtime-neutral: no Node built-ins.'),
        group(['electron', 'electron/*'], 'shared/ never imports electron.'),
        group(['better-sqlite3', 'react', 'react-dom', 'zustand'], 'shared/ imports no runtime-specific library.'),
        group(['**/electron/**', '**/renderer/**', '**/server/**'], 'shared/ imports nothing of the other layers.'),
      ]),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer'],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts', 'electron/cli/**/*.ts', 'server/**/*.ts'],
    rules: restrict([
      group(['electron', 'electron/*'], 'Only electron/main and electron/preload import electron.'),
      group(
        ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**'],
        'The core and hosts never reach into the shell or the renderer.',
      ),
    ]),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict([
      group(['**/electron/**'], 'server/ imports shared/ only, never electron/.'),
      group(['electron'], 'server/ never imports electron.'),
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict([
      group(NODE_BUILTINS, 'The renderer runs in a sandboxed page: no Node built-ins.'),
      group(
        ['electron', 'electron/*', 'better-sqlite3'],
        'The renderer talks to the core only through the API client.',
      ),
      group(['**/electron/**', '**/server/**'], 'The renderer never imports the core or the shell.'),
    ]),
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
);
