// Lint: one house style for a small team (typescript-eslint's recommended rules, the hooks rules
// for the Preact panel) and the import boundaries the architecture depends on:
//   plugin/ (Figma sandbox) and backend/ never import each other, nor ui/;
//   common/ imports none of plugin/, ui/, backend/;
//   inside backend/, lower layers never import the HTTP surface or the platform entries.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map(([group, message]) => ({ group, message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', '.vercel/**', '.wrangler/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `figma` and `__html__` are Figma's globals, declared in plugin/figma-global.d.ts.
      'no-undef': 'off',
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  {
    files: ['ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['plugin/**/*.ts'],
    rules: restrict(
      [['**/backend/**', '**/ui/**'], 'The Figma sandbox never imports the backend or the panel: share pure code through common/, contracts through plugin/messages.ts.'],
    ),
  },
  {
    files: ['backend/**/*.ts'],
    ignores: ['backend/**/*.test.ts', 'backend/test-helpers/**'],
    rules: restrict(
      [['**/plugin/**', '**/ui/**', '**/test/**'], 'The backend never imports the sandbox, the panel or test code: share pure code through common/.'],
    ),
  },
  {
    files: ['backend/{accounting,batches,config,results,store,upstream,validation}/**/*.ts'],
    ignores: ['backend/**/*.test.ts'],
    rules: restrict(
      [['**/plugin/**', '**/ui/**', '**/test/**'], 'The backend never imports the sandbox, the panel or test code.'],
      [['**/http/**', '**/platform/**', '**/app', '**/dependencies'], 'Lower backend layers never import the HTTP surface or the platform entries (backend/README.md).'],
    ),
  },
  {
    files: ['common/**/*.ts'],
    rules: restrict(
      [['**/plugin/**', '**/ui/**', '**/backend/**'], 'common/ is shared by every side, so it imports none of them.'],
      [['node:*'], 'common/ also runs in the Figma sandbox, the panel and Workers: no Node built-ins.'],
    ),
  },
);
