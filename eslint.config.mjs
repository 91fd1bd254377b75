// ESLint (flat config): `npm run lint` runs it with Prettier's check. TypeScript is linted with
// type information (each file's nearest tsconfig.json: the root one for the services, libraries
// and tests, the admin console's own for the console); JavaScript (scripts, bench, Jest configs)
// without the rules that need types. Formatting is Prettier's alone (eslint-config-prettier last).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node's own globals, taken from the Node that runs ESLint, plus CommonJS's.
const nodeGlobals = Object.fromEntries([...Object.getOwnPropertyNames(globalThis), 'require', 'module', 'exports', '__dirname', '__filename'].map((name) => [name, 'readonly']));

// Libraries are imported by package name only (`@remote-help/<lib>`, `@remote-help/<lib>/testing`),
// never through a relative path into another package or a path inside one.
const deepImports = {
  patterns: [
    {
      regex: '^(\\.\\./)+libs/',
      message: "Import a library by its package name ('@remote-help/<lib>'), not by a relative path.",
    },
    {
      regex: '^@remote-help/[^/]+/(src|dist|lib)(/|$)',
      message: "Import a library by its package name ('@remote-help/<lib>' or '@remote-help/<lib>/testing'), not a file inside it.",
    },
  ],
};
// Apps are not libraries: one app never imports another (repository-level tests and scripts may
// read an app's configuration specification).
const crossAppImports = {
  patterns: [
    ...deepImports.patterns,
    { regex: '^(\\.\\./)+apps/', message: 'An app or library never imports another app.' },
    { regex: '^@remote-help/(gateway|tenant-service|rbac-service|session-service|reporting-service|admin-console)(/|$)', message: 'An app or library never imports another app.' },
  ],
};

// The project's own rule: an eslint-disable comment says why, after ` -- `.
const disableReason = {
  meta: { type: 'suggestion', docs: { description: 'eslint-disable comments give their reason' }, schema: [] },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          if (/^\s*eslint-disable(-next-line|-line)?(\s|$)/.test(comment.value) && !/\s--\s*\S/.test(comment.value)) {
            context.report({ loc: comment.loc, message: 'Say why after the rule: `eslint-disable-next-line <rule> -- <reason>`.' });
          }
        }
      },
    };
  },
};

export default defineConfig([
  globalIgnores(['**/node_modules/', '**/dist/', '.data/', '.nx/', 'coverage/', 'tmp/', 'bench/results/', 'docs/events/', 'apps/admin-console/src/graphql-env.d.ts']),

  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'remote-help/all',
    plugins: { 'import-x': importX, 'remote-help': { rules: { 'eslint-disable-reason': disableReason } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: {
      // Which files import-x reads for their imports (TypeScript and JavaScript), and with which parser.
      'import-x/extensions': ['.ts', '.tsx', '.cts', '.mts', '.js', '.jsx', '.cjs', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.cts', '.mts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'apps/admin-console/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      // Unused code: variables, parameters after the last used one, imports; `_` prefix for what a
      // signature needs but the body does not use, and for destructuring that drops a property.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-unused-vars': 'off',
      // Cycles inside a package (packages themselves depend on each other in one direction only).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      // A relative path that leaves its package (by its nearest package.json).
      'import-x/no-relative-packages': 'error',
      'no-restricted-imports': ['error', deepImports],
      'remote-help/eslint-disable-reason': 'error',
    },
  },
  {
    name: 'remote-help/packages',
    files: ['apps/**', 'libs/**'],
    rules: { 'no-restricted-imports': ['error', crossAppImports] },
  },
  {
    name: 'remote-help/repository-tests-and-scripts',
    files: ['tests/**', 'scripts/**'],
    rules: { 'import-x/no-relative-packages': 'off' },
  },

  // TypeScript, with type information.
  {
    name: 'remote-help/typescript',
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: {
      parserOptions: {
        projectService: {
          // TypeScript files no tsconfig.json includes (the console's Vite configs, the scripts' tests).
          allowDefaultProject: ['apps/admin-console/*.config.ts', 'scripts/*.ts'],
          defaultProject: 'tsconfig.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `import type` for what is only a type (`typeof import('x')` stays for lazily required modules).
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      // Tracing loads OpenTelemetry synchronously and only when it is on, before the modules it patches.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^@opentelemetry/'] }],
    },
  },
  {
    // Tests read GraphQL answers and rows whose shape the assertions check.
    name: 'remote-help/tests',
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*-spec.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // JavaScript: Node scripts, the benchmark, Jest configs (no type information).
  {
    name: 'remote-help/javascript',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals, ecmaVersion: 'latest' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'remote-help/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // The admin console (React): the rules of hooks.
  {
    ...reactHooks.configs.flat.recommended,
    name: 'remote-help/admin-console',
    files: ['apps/admin-console/src/**/*.{ts,tsx}'],
  },

  prettier,
]);
