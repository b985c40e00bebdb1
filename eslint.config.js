import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import globals from 'globals'

const noImport = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
})

const NO_WEB = ['@portal/web*', '**/web/src/**']

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/data/**', 'test/output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  { files: ['web/**/*.{ts,vue}'], languageOptions: { globals: globals.browser } },
  { files: ['bff/**/*.ts', 'bff/**/*.mjs', 'test/**/*.ts', '*.js', '*.ts'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  // Dependency direction (architecture.md): shared imports neither side, web never imports bff,
  // the WeCom client knows nothing of Hono or routes, the sandbox is independent of the client.
  // In flat config a later block replaces the rule, so the narrower bff blocks repeat NO_WEB.
  {
    files: ['shared/**/*.ts'],
    rules: noImport(['@portal/bff*', '@portal/web*', 'node:*', 'hono*', 'vue*'], 'shared is pure: zod only'),
  },
  { files: ['web/**/*.{ts,vue}'], rules: noImport(['@portal/bff*', '**/bff/**', 'node:*', 'hono*'], 'web never imports bff') },
  // Vite plugins run in Node at build time, never in the browser.
  {
    files: ['web/build/**/*.ts', 'web/vite.config.ts'],
    languageOptions: { globals: globals.node },
    rules: noImport(['@portal/bff*', '**/bff/**', 'hono*'], 'web never imports bff'),
  },
  { files: ['bff/**/*.ts'], rules: noImport(NO_WEB, 'bff never imports web') },
  {
    files: ['bff/src/wecom/**/*.ts'],
    rules: noImport([...NO_WEB, 'hono*', '@hono/*', '../auth/*', '../sandbox/*', '../sandbox', '../app*', '../db/*', '../db'], 'wecom/ is a plain client: no Hono, routes, db or sandbox'),
  },
  // The sandbox sits in folders (oauth/, directory/ …), so the client is '../wecom' or '../../wecom'.
  { files: ['bff/src/sandbox/**/*.ts'], rules: noImport([...NO_WEB, '**/wecom', '**/wecom/*', '@portal/bff/wecom*'], 'the sandbox implements WeCom independently') },
  {
    files: ['bff/src/**/*.ts'],
    ignores: ['bff/src/config.ts', 'bff/src/config/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only config reads process.env' }] },
  },
)
