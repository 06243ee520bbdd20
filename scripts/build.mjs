// Bundles the Node side (CLI, web host, training worker, Electron main and
// preload) with esbuild and the renderer with Vite. npm packages stay external
// so tfjs finds its .wasm files and better-sqlite3 its native addon.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = process.argv[2];

const nodeEntries = {
  cli: 'electron/cli.ts',
  'training-worker': 'electron/backend/training/worker.ts',
  'parse-worker': 'electron/backend/ingest/parse-worker.ts',
  'live-worker': 'electron/backend/live/worker.ts',
  'web-host': 'electron/web/start.ts',
  'electron/main': 'electron/main.ts',
  'electron/preload': 'electron/preload.ts',
};

if (only !== 'renderer') {
  await build({
    absWorkingDir: root,
    entryPoints: nodeEntries,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
}
if (only !== 'node') {
  await viteBuild({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' });
}
