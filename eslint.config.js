import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Import boundaries (VS Code style layering): the renderer and the pure part of
// shared/ run in a browser, so they never import electron or Node built-ins; the
// renderer never reaches into shared/node (the SQLite store) or the other shells.
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const browserSafe = {
  paths: [
    { name: 'electron', message: 'Only electron/ may import electron.' },
    ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available in the browser.' })),
  ],
  patterns: [
    { group: ['node:*'], message: 'Node built-ins are not available in the browser.' },
    { group: ['better-sqlite3', 'ws', 'lowdb', 'lowdb/*'], message: 'Node-only package.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tsbuild/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}', 'renderer/vite.*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...browserSafe,
          patterns: [
            ...browserSafe.patterns,
            { group: ['**/shared/node', '**/shared/node/**'], message: 'The renderer never imports the Node document store.' },
            { group: ['**/electron/**', '**/sync-server/**'], message: 'The renderer talks to the shells only through the Host.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/node/**', 'shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...browserSafe,
          patterns: [
            ...browserSafe.patterns,
            { group: ['**/node', '**/node/**'], message: 'Pure shared code never imports shared/node.' },
            { group: ['**/renderer/**', '**/electron/**', '**/sync-server/**'], message: 'shared/ is imported, it imports no shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['sync-server/**/*.ts', 'shared/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The server and the store run without Electron.' }],
          patterns: [{ group: ['**/renderer/**', '**/electron/**'], message: 'Import shared/ only.' }],
        },
      ],
    },
  },
);
