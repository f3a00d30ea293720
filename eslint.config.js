// @ts-check
// Lint: ESLint's and typescript-eslint's recommended rules (syntax-based, no type information:
// `npm run typecheck` already runs the compiler, so lint stays fast).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node's globals for the plain .js/.mjs scripts (TypeScript files get them from @types/node). */
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'AbortController', 'TextEncoder', 'TextDecoder',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'queueMicrotask',
    'structuredClone', 'fetch', 'performance', 'globalThis',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  globalIgnores([
    '**/dist/',
    '**/.sst/',
    '**/node_modules/',
    'coverage/',
    '.data/',
    'bench/results/',
    // Deliberately broken code that the architecture tests must catch.
    'tests/architecture/fixtures/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are the convention for parameters a signature needs but the body ignores.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Module source (tests aside) maps stored items and foreign values into its types with typed
    // readers (the platform's `attr`) or schemas; `x as unknown as T` would silence the compiler
    // instead of checking anything (issue 9).
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `as unknown as` in module source: read the value with a typed reader (platform attr) or a schema.',
        },
      ],
    },
  },
  {
    // No function over 80 lines in packages/: split it, or put an eslint-disable-next-line
    // comment on it that says why it must stay one (issue 9).
    files: ['packages/**/*.{ts,js,mjs}'],
    rules: { 'max-lines-per-function': ['error', { max: 80 }] },
  },
  {
    // SST's own convention: the config pulls its global types (sst, aws, $config) from the
    // generated .sst/platform/config.d.ts, which cannot be imported as a module.
    files: ['sst.config.ts'],
    rules: { '@typescript-eslint/triple-slash-reference': 'off' },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // Tests read untyped JSON responses and AWS payload fixtures; `any` there is the honest type.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
