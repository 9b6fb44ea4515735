// ESLint flat config. Besides the usual recommended sets it enforces the layering of
// docs/design.md §3.1: src/core is pure (no React, tfjs, UI state or engine/ui/cli imports) and
// src/engine has no React/UI dependencies.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const uiPackages = [
  'react',
  'react/*',
  'react-dom',
  'react-dom/*',
  '@xyflow/*',
  'zustand',
  'zustand/*',
];

export default defineConfig([
  globalIgnores([
    'dist/',
    'node_modules/',
    'test/fixtures/',
    'bench-results/',
    'coverage/',
    'test-results/',
    '.gl/',
    '.whl/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Browser benchmarks run code in the page (page.evaluate) as well. (e2e files name the
    // browser globals they use in a /* global */ comment instead.)
    files: ['bench/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...uiPackages, '@tensorflow/*'],
              message:
                'src/core is pure: no React, @xyflow, zustand or tfjs (docs/design.md §3.1).',
            },
            {
              regex: '^(\\.\\./)+(engine|ui|cli)(/|$)',
              message: 'src/core must not import from src/engine, src/ui or src/cli.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: uiPackages,
              message: 'src/engine has no UI dependencies: no React, @xyflow or zustand.',
            },
            {
              regex: '^(\\.\\./)+(ui|cli)(/|$)',
              message: 'src/engine must not import from src/ui or src/cli.',
            },
          ],
        },
      ],
    },
  },
]);
