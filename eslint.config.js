import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Electron-wide syntax bans (raw IPC, unchecked openExternal); repeated where a block adds bans of its own. */
const electronSyntaxBans = [
  { selector: "MemberExpression[object.name='ipcMain']", message: 'Register handlers through electron/ipc.ts.' },
  {
    selector: "MemberExpression[object.name='shell'][property.name='openExternal']",
    message: 'Use openExternalSafely() from electron/safe-open.ts.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine runs in plain Node (tests, CLI, web host): it must never import Electron.
    files: ['electron/cmdb/**/*.ts', 'electron/web/**/*.ts', 'electron/cli.ts', 'electron/cli/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The engine, CLI, web host and contract must not depend on Electron.' }] },
      ],
    },
  },
  {
    // The renderer talks only to the CmdbApi: no Node, no raw IPC.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'fs', 'path', 'child_process', '**/electron/**'],
              message: 'The renderer talks only to the CmdbApi.',
            },
          ],
        },
      ],
    },
  },
  {
    // Raw IPC only in the one typed wrapper.
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-syntax': ['error', ...electronSyntaxBans] },
  },
  {
    // The CLI writes for people only through electron/cli/terminal.ts, which keeps text from the data
    // (names, headers, file names) from driving the terminal.
    files: ['electron/cli.ts', 'electron/cli/**/*.ts'],
    ignores: ['electron/cli/terminal.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...electronSyntaxBans,
        {
          selector: "MemberExpression[object.object.name='process'][object.property.name=/^std(out|err)$/]",
          message: 'Write through printLines/printJson/printDocument in electron/cli/terminal.ts.',
        },
      ],
    },
  },
);
