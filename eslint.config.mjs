import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// The layers (docs/architecture.md): each zone lists what its files may not import.
const nodeOnly = [
  { group: ['node:*', ...builtinModules, ...builtinModules.map((name) => `${name}/*`)], message: 'Node modules do not run here.' },
  { regex: '^(electron|better-sqlite3|@tensorflow/.*)$', message: 'this runs in the main process only.' },
];
const noElectron = { regex: '^electron$', message: 'the backend runs in plain Node: no Electron.' };
const zone = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
const layers = [
  zone(['shared/**'], [{ regex: '^(?!\\./)', message: 'shared/ is pure TypeScript for every side: it imports only its own files.' }]),
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'localStorage'].map((name) => ({ name, message: 'shared/ runs outside the DOM too.' })),
      ],
    },
  },
  zone(
    ['renderer/**'],
    [
      { regex: '(^|/)electron/', message: 'the renderer talks to the backend only through the API client (shared/contract.ts).' },
      ...nodeOnly,
    ],
  ),
  zone(
    ['electron/cli.ts', 'electron/cli/**', 'electron/main.ts', 'electron/preload.ts', 'electron/web/**'],
    [
      { regex: '(^|/)backend/(?!api$)', message: 'a host enters the backend only through its door, electron/backend/api.' },
      { group: ['better-sqlite3', '@tensorflow/*'], message: 'a host enters the backend only through its door, electron/backend/api.' },
    ],
  ),
  zone(['electron/backend/**'], [noElectron]),
  zone(
    ['electron/backend/store/**'],
    [
      noElectron,
      {
        regex: '(^|/)(api|ingest|features|training|model|evaluation|export|paths)(/|$)',
        message: 'the store is the bottom layer: it imports nothing above it.',
      },
    ],
  ),
];

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...layers,
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        __dirname: 'readonly',
        module: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
