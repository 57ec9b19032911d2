import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The layers, bottom to top: lib → core → github → gates/<name> → gates/index.ts (the registry)
 * → actions, cli. A module imports only from its own layer or below; a gate never imports another
 * gate, nor the registry that holds it (what it needs of other gates comes in through the context).
 * Imports are relative, so each rule matches the path it climbs to (`../`, `../../`, …).
 */
const up = (...dirs) => `^(?:\\./|(?:\\.\\./)+)(?:${dirs.join('|')})(?:/|\\.js$)`
const gateNames = readdirSync(new URL('./src/gates/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', { patterns, paths }] },
})
/** Gates reach files, processes, TLS and timers through the gate context (ctx.fs, ctx.exec, ctx.tls, ctx.timers). */
const PORTS = [
  ['node:fs', 'ctx.fs'],
  ['node:fs/promises', 'ctx.fs'],
  ['node:child_process', 'ctx.exec'],
  ['node:tls', 'ctx.tls'],
].map(([name, port]) => ({ name, allowTypeImports: true, message: `a gate reaches ${name} through ${port}, so a test can replace it.` }))
const LAYER = 'breaks the layers (lib → core → github → gates → actions/cli; see eslint.config.js)'
const layers = [
  layer(
    ['src/lib/**/*.ts'],
    [
      // core's types (Status) may be named; nothing of core runs in lib, so no circle can form at run time.
      { regex: up('core'), allowTypeImports: true, message: `lib imports only lib (and core's types): it ${LAYER}.` },
      { regex: up('github', 'gates', 'actions', 'cli'), message: `lib imports only lib: it ${LAYER}.` },
    ],
  ),
  layer(
    ['src/core/**/*.ts'],
    [{ regex: up('github', 'gates', 'actions', 'cli'), message: `core imports only core and lib: it ${LAYER}.` }],
  ),
  layer(['src/github/**/*.ts'], [{ regex: up('gates', 'actions', 'cli'), message: `github imports only core and lib: it ${LAYER}.` }]),
  ...gateNames.map((name) =>
    layer(
      [`src/gates/${name}/**/*.ts`],
      [
        { regex: up('actions', 'cli'), message: `a gate imports core, lib, src/github's API helpers and its own folder: it ${LAYER}.` },
        {
          regex: up('github/client', 'github/port', 'github/checks'),
          message: `a gate reaches the GitHub API through ctx.github, never the client itself: it ${LAYER}.`,
        },
        {
          regex: '(?:^|/)lib/process\\.js$',
          importNames: ['runProcess'],
          message: 'a gate runs a process through ctx.exec, so a test can replace it.',
        },
        ...(gateNames.length > 1
          ? [
              {
                regex: `^(?:\\.\\./)+(?:gates/)?(?:${gateNames.filter((n) => n !== name).join('|')})/`,
                message: 'a gate never imports another gate: move what both need to src/lib (or src/core).',
              },
            ]
          : []),
        { regex: '(?:^|/)index\\.js$', message: 'a gate imports modules, not the registry or a barrel (gates/index.ts, <gate>/index.ts).' },
      ],
      PORTS,
    ),
  ),
  {
    files: ['src/gates/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval'].map((name) => ({
          name,
          message: `a gate waits with ctx.sleep and arms deadlines with ctx.timers, not ${name}.`,
        })),
      ],
    },
  },
  layer(
    ['src/gates/index.ts'],
    [
      { regex: up('github', 'actions', 'cli'), message: `the registry imports gates and core: it ${LAYER}.` },
      { regex: '^\\./[^/]+/(?!index\\.js$)', message: "the registry imports each gate's index.ts, never its internals." },
    ],
  ),
]

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tmp/', 'cutover-reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...layers,
)
